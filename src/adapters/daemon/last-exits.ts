/**
 * The last exit of each process, as the daemon saw it on `process:exit`:
 * what `tend describe` shows as "last exit" (code or signal, reason, forced,
 * when). ProcessInfo keeps the code and signal; the reason only the event has.
 */
import type { ExitReason } from '../../types.js'

export interface LastExit {
  readonly code: number | null
  readonly signal: NodeJS.Signals | null
  readonly reason: ExitReason
  /** True when the process had to be SIGKILLed after its killTimeout (null when this tend does not tell). */
  readonly forced: boolean | null
  readonly at: number
}

/** Ids are never reused; keep the newest few thousand so a scale loop cannot grow this without bound. */
const MAX_ENTRIES = 5000

export class LastExits {
  readonly #exits = new Map<number, LastExit>()

  record(
    id: number,
    event: { code: number | null; signal: NodeJS.Signals | null; reason: ExitReason; at: number; forced?: boolean },
  ): void {
    this.#exits.delete(id)
    this.#exits.set(id, { code: event.code, signal: event.signal, reason: event.reason, forced: event.forced ?? null, at: event.at })
    if (this.#exits.size > MAX_ENTRIES) this.#exits.delete(this.#exits.keys().next().value!)
  }

  /** The last exits of these ids, by id (ids with no exit yet are left out). */
  of(ids: readonly number[]): Record<number, LastExit> {
    const found: Record<number, LastExit> = {}
    for (const id of ids) {
      const exit = this.#exits.get(id)
      if (exit) found[id] = exit
    }
    return found
  }
}
