/**
 * The recent output lines of each process, in memory, for `logs()`. Lines
 * are kept as the blocks they arrived in (one entry per read, not per line),
 * so a child printing as fast as it can costs one small object per read;
 * whole blocks are dropped once the newer ones hold `capacity` lines.
 */
import type { LogLine } from '../types.js'

interface Block {
  readonly stream: 'out' | 'err'
  readonly at: number
  /** Global arrival order across processes and streams. */
  readonly seq: number
  readonly lines: readonly string[]
}

class ProcessLines {
  readonly blocks: Block[] = []
  head = 0
  total = 0
  constructor(readonly name: string) {}
}

export class OutputBuffer {
  readonly #processes = new Map<number, ProcessLines>()
  readonly #capacity: number
  #seq = 0

  constructor(capacityPerProcess: number) {
    this.#capacity = capacityPerProcess
  }

  push(line: LogLine): void {
    this.pushLines(line.id, line.name, line.stream, [line.line], line.at)
  }

  /** The lines of one read, in order. */
  pushLines(id: number, name: string, stream: 'out' | 'err', lines: readonly string[], at: number): void {
    const capacity = this.#capacity
    if (capacity === 0 || lines.length === 0) return
    let store = this.#processes.get(id)
    if (!store) this.#processes.set(id, (store = new ProcessLines(name)))
    const kept = lines.length > capacity ? lines.slice(lines.length - capacity) : lines
    store.blocks.push({ stream, at, seq: this.#seq++, lines: kept })
    store.total += kept.length
    // drop the oldest blocks while the newer ones alone hold `capacity` lines
    while (store.total - store.blocks[store.head]!.lines.length >= capacity) store.total -= store.blocks[store.head++]!.lines.length
    if (store.head > 64 && store.head * 2 > store.blocks.length) {
      store.blocks.splice(0, store.head)
      store.head = 0
    }
  }

  /** The newest `lines` lines of these processes together (at most `capacity` of each), oldest first. */
  recent(ids: Iterable<number>, lines: number): LogLine[] {
    const picked: { seq: number; index: number; line: LogLine }[] = []
    const want = Math.min(lines, this.#capacity)
    for (const id of ids) {
      const store = this.#processes.get(id)
      if (!store) continue
      let taken = 0
      for (let b = store.blocks.length - 1; b >= store.head && taken < want; b--) {
        const block = store.blocks[b]!
        for (let i = block.lines.length - 1; i >= 0 && taken < want; i--, taken++) {
          picked.push({ seq: block.seq, index: i, line: { id, name: store.name, stream: block.stream, line: block.lines[i]!, at: block.at } })
        }
      }
    }
    picked.sort((a, b) => a.seq - b.seq || a.index - b.index)
    return picked.slice(Math.max(0, picked.length - lines)).map((entry) => entry.line)
  }

  forget(id: number): void {
    this.#processes.delete(id)
  }
}
