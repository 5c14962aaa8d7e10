/** One vocabulary of events on two emitters: the typed Supervisor and its wildcard bus. */
import type { EventEmitter } from 'node:events'
import type { EventEmitter2 } from 'eventemitter2'
import type { SupervisorEvents } from '../types.js'

type Listener = (...args: unknown[]) => unknown

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

  /**
   * Calls every listener of `event`, each on its own: the typed ones first,
   * then the bus's onAny and (wildcard) listeners, as each emitter's own
   * emit() would call them. One that throws stops neither the others nor the
   * state machine that emitted.
   */
  emit<E extends keyof SupervisorEvents>(event: E, payload: Parameters<SupervisorEvents[E]>[0]): void {
    // rawListeners: once() wrappers remove themselves as emit() would have them do
    for (const listener of this.#typed.rawListeners(event) as Listener[]) {
      isolated(() => listener.call(this.#typed, payload))
    }
    const bus = this.#bus as EventEmitter2 & { event: string }
    for (const listener of [...bus.listenersAny()] as Listener[]) {
      bus.event = event
      isolated(() => listener.call(bus, event, payload))
    }
    for (const listener of bus.listeners(event) as Listener[]) {
      bus.event = event
      isolated(() => listener.call(bus, payload))
    }
  }
}

/**
 * Runs one listener. A listener's bug must not corrupt the state machine
 * that called it nor silence the listeners after it: its error is surfaced
 * the way Node surfaces any uncaught error, outside our stack.
 */
function isolated(call: () => unknown): void {
  try {
    call()
  } catch (error) {
    queueMicrotask(() => {
      throw error
    })
  }
}
