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
    if (this.#capacity === 0) return
    let ring = this.#rings.get(line.id)
    if (!ring) this.#rings.set(line.id, (ring = new RingBuffer<Entry>(this.#capacity)))
    ring.push({ ...line, seq: this.#seq++ })
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
