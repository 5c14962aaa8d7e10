/**
 * The recent output lines of each process, in memory, for `logs()`. Lines
 * are kept as the blocks they arrived in (one entry per read, not per line),
 * undecoded until `logs()` asks, so a child printing as fast as it can costs
 * one small object per read. Blocks are trimmed lazily: once a process holds
 * more than TRIM_BYTES, its blocks are counted from the newest back until
 * they hold `capacity` lines, and the older ones are dropped uncounted.
 */
import type { LogLine } from '../types.js'
import { countLines, type OutputBlock } from './line-framer.js'

/** How many bytes of output a process may hold beyond what its newest `capacity` lines need. */
export const TRIM_BYTES = 1024 * 1024

interface Block {
  readonly stream: 'out' | 'err'
  readonly at: number
  /** Global arrival order across processes and streams. */
  readonly seq: number
  readonly bytes: number
  /** The lines, or the block to decode them from when asked. */
  readonly source: readonly string[] | OutputBlock
  /** How many lines; -1 until counted. */
  count: number
}

class ProcessLines {
  blocks: Block[] = []
  bytes = 0
  constructor(readonly name: string) {}
}

function linesOf(block: Block): readonly string[] {
  return Array.isArray(block.source) ? (block.source as readonly string[]) : (block.source as OutputBlock).lines
}

function countOf(block: Block): number {
  if (block.count === -1) block.count = countLines((block.source as OutputBlock).bytes)
  return block.count
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
    let bytes = kept.length
    for (const line of kept) bytes += line.length
    this.#add(id, name, { stream, at, seq: this.#seq++, bytes, source: kept, count: kept.length })
  }

  /** One read's block; its lines are decoded only if `recent()` asks for them. */
  pushBlock(id: number, name: string, stream: 'out' | 'err', block: OutputBlock): void {
    if (this.#capacity === 0) return
    if (block.decoded) return this.pushLines(id, name, stream, block.lines, block.at)
    this.#add(id, name, { stream, at: block.at, seq: this.#seq++, bytes: block.bytes.length, source: block, count: -1 })
  }

  #add(id: number, name: string, block: Block): void {
    let store = this.#processes.get(id)
    if (!store) this.#processes.set(id, (store = new ProcessLines(name)))
    store.blocks.push(block)
    store.bytes += block.bytes
    if (store.bytes > TRIM_BYTES) this.#trim(store)
  }

  /** Drops the blocks older than those holding the newest `capacity` lines. */
  #trim(store: ProcessLines): void {
    let lines = 0
    let keepFrom = 0
    for (let b = store.blocks.length - 1; b >= 0; b--) {
      lines += countOf(store.blocks[b]!)
      if (lines >= this.#capacity) {
        keepFrom = b
        break
      }
    }
    store.blocks = store.blocks.slice(keepFrom)
    store.bytes = 0
    for (const block of store.blocks) store.bytes += block.bytes
  }

  /** The newest `lines` lines of these processes together (at most `capacity` of each), oldest first. */
  recent(ids: Iterable<number>, lines: number): LogLine[] {
    const picked: { seq: number; index: number; line: LogLine }[] = []
    const want = Math.min(lines, this.#capacity)
    for (const id of ids) {
      const store = this.#processes.get(id)
      if (!store) continue
      let taken = 0
      for (let b = store.blocks.length - 1; b >= 0 && taken < want; b--) {
        const block = store.blocks[b]!
        const blockLines = linesOf(block)
        for (let i = blockLines.length - 1; i >= 0 && taken < want; i--, taken++) {
          picked.push({
            seq: block.seq,
            index: i,
            line: { id, name: store.name, stream: block.stream, line: blockLines[i]!, at: block.at },
          })
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
