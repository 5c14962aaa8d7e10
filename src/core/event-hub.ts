/** One vocabulary of events on two emitters: the typed Supervisor and its wildcard bus. */
import type { EventEmitter } from 'node:events'
import type { EventEmitter2 } from 'eventemitter2'
import type { SupervisorEvents } from '../types.js'

export class EventHub {
  readonly #typed: EventEmitter
  readonly #bus: EventEmitter2

  constructor(typed: EventEmitter, bus: EventEmitter2) {
    this.#typed = typed
    this.#bus = bus
  }

  /** True when anyone listens for `event`, on either emitter (wildcards and onAny included). */
  has(event: keyof SupervisorEvents): boolean {
    return this.#typed.listenerCount(event) > 0 || !!this.#bus.hasListeners(event) || this.#bus.listenersAny().length > 0
  }

  emit<E extends keyof SupervisorEvents>(event: E, payload: Parameters<SupervisorEvents[E]>[0]): void {
    try {
      this.#typed.emit(event, payload)
      this.#bus.emit(event, payload)
    } catch (error) {
      // A listener's bug must not corrupt the state machine that called it:
      // surface it the way Node surfaces any uncaught error, outside our stack.
      queueMicrotask(() => {
        throw error
      })
    }
  }
}
