/**
 * The recent output lines of each process, in memory, for `logs()`. Lines
 * are kept as the blocks they arrived in (one entry per read, not per line),
 * so a child printing as fast as it can costs one small object per read;
 * whole blocks are dropped once the newer ones hold `capacity` lines.
 */
import type { LogLine } from '../types.js'
import { countLines, type OutputBlock } from './line-framer.js'

interface Block {
  readonly stream: 'out' | 'err'
  readonly at: number
  /** Global arrival order across processes and streams. */
  readonly seq: number
  /** How many lines (of the block's, the newest) this entry holds. */
  readonly count: number
  /** The lines, or the block to decode them from when asked. */
  readonly source: readonly string[] | OutputBlock
}

function linesOf(block: Block): readonly string[] {
  if (Array.isArray(block.source)) return block.source as readonly string[]
  const lines = (block.source as OutputBlock).lines
  return lines.length > block.count ? lines.slice(lines.length - block.count) : lines
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
    if (this.#capacity === 0 || lines.length === 0) return
    const kept = lines.length > this.#capacity ? lines.slice(lines.length - this.#capacity) : lines
    this.#add(id, name, { stream, at, seq: this.#seq++, count: kept.length, source: kept })
  }

  /** One read's block; its lines are decoded only if `recent()` asks for them. */
  pushBlock(id: number, name: string, stream: 'out' | 'err', block: OutputBlock): void {
    if (this.#capacity === 0) return
    if (block.decoded) return this.pushLines(id, name, stream, block.lines, block.at)
    const count = Math.min(countLines(block.bytes), this.#capacity)
    if (count > 0) this.#add(id, name, { stream, at: block.at, seq: this.#seq++, count, source: block })
  }

  #add(id: number, name: string, block: Block): void {
    const capacity = this.#capacity
    let store = this.#processes.get(id)
    if (!store) this.#processes.set(id, (store = new ProcessLines(name)))
    store.blocks.push(block)
    store.total += block.count
    // drop the oldest blocks while the newer ones alone hold `capacity` lines
    while (store.total - store.blocks[store.head]!.count >= capacity) store.total -= store.blocks[store.head++]!.count
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
        const lines = linesOf(block)
        for (let i = lines.length - 1; i >= 0 && taken < want; i--, taken++) {
          picked.push({ seq: block.seq, index: i, line: { id, name: store.name, stream: block.stream, line: lines[i]!, at: block.at } })
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
