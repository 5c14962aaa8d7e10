/** The in-memory ring of recent output lines, per process, for `logs()`. */
import type { LogLine } from '../types.js'
import { RingBuffer } from './ring-buffer.js'

interface Entry extends LogLine {
  readonly seq: number
}

export class OutputBuffer {
  readonly #rings = new Map<number, RingBuffer<Entry>>()
  readonly #capacity: number
  #seq = 0

  constructor(capacityPerProcess: number) {
    this.#capacity = capacityPerProcess
  }

  push(line: LogLine): void {
    this.pushLines(line.id, line.name, line.stream, [line.line], line.at)
  }

  /** The lines of one read, in order; only the newest `capacity` of them can be kept, so only those are stored. */
  pushLines(id: number, name: string, stream: 'out' | 'err', lines: readonly string[], at: number): void {
    if (this.#capacity === 0 || lines.length === 0) return
    let ring = this.#rings.get(id)
    if (!ring) this.#rings.set(id, (ring = new RingBuffer<Entry>(this.#capacity)))
    const skipped = Math.max(0, lines.length - this.#capacity)
    this.#seq += skipped
    for (let i = skipped; i < lines.length; i++) ring.push({ id, name, stream, line: lines[i]!, at, seq: this.#seq++ })
  }

  /** The newest `lines` lines of these processes together, oldest first. */
  recent(ids: Iterable<number>, lines: number): LogLine[] {
    const merged: Entry[] = []
    for (const id of ids) merged.push(...(this.#rings.get(id)?.last(lines) ?? []))
    merged.sort((a, b) => a.seq - b.seq)
    return merged.slice(Math.max(0, merged.length - lines)).map(({ seq: _seq, ...line }) => line)
  }

  forget(id: number): void {
    this.#rings.delete(id)
  }
}
