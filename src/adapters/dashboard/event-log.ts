/**
 * The dashboard's recent events, each with an id, so a browser that lost
 * its Server-Sent Events stream and comes back with `Last-Event-ID` gets
 * what it missed. Bounded by count and by bytes; a browser whose id is no
 * longer held (or comes from another run of the server) is told to reload
 * its state (`reset`) instead of being given a gap.
 */
import { randomBytes } from 'node:crypto'

export interface LoggedEvent {
  /** `<run>-<n>`: the run tells ids of another server start apart. */
  readonly id: string
  readonly type: string
  /** JSON text of the payload. */
  readonly data: string
}

export interface EventLogOptions {
  /** @default 5000 */
  readonly maxEvents?: number
  /** @default 4 MiB */
  readonly maxBytes?: number
}

export class EventLog {
  readonly run = randomBytes(4).toString('hex')
  readonly #events: LoggedEvent[] = []
  readonly #maxEvents: number
  readonly #maxBytes: number
  #bytes = 0
  #next = 1

  constructor(options: EventLogOptions = {}) {
    this.#maxEvents = options.maxEvents ?? 5000
    this.#maxBytes = options.maxBytes ?? 4 * 1024 * 1024
  }

  /** The id of the newest event, or of the start of this run when there is none yet. */
  get lastId(): string {
    return `${this.run}-${this.#next - 1}`
  }

  get size(): number {
    return this.#events.length
  }

  append(type: string, payload: unknown): LoggedEvent {
    const event: LoggedEvent = { id: `${this.run}-${this.#next++}`, type, data: JSON.stringify(payload) }
    this.#events.push(event)
    this.#bytes += event.data.length
    while (this.#events.length > this.#maxEvents || (this.#bytes > this.#maxBytes && this.#events.length > 1)) {
      this.#bytes -= this.#events.shift()!.data.length
    }
    return event
  }

  /**
   * The events after `lastEventId`, or null when they cannot all be given
   * (an id from another run, or older than the oldest event held).
   */
  since(lastEventId: string): LoggedEvent[] | null {
    const match = /^([0-9a-f]+)-(\d+)$/.exec(lastEventId)
    if (!match || match[1] !== this.run) return null
    const seen = Number(match[2])
    if (seen >= this.#next) return null
    const oldest = this.#events[0] ? Number(this.#events[0].id.split('-')[1]) : this.#next
    if (seen + 1 < oldest) return null
    return this.#events.slice(Math.max(0, seen + 1 - oldest))
  }
}

/** One event in the text/event-stream format. */
export function formatEvent(event: LoggedEvent): string {
  return `id: ${event.id}\nevent: ${event.type}\ndata: ${event.data}\n\n`
}
