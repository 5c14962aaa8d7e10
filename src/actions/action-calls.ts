/**
 * The actions of one running child and the calls in flight to it. Two
 * protocols: tendjs/app's (each call numbered, answered by number,
 * cancellable) and @pm2/io / tx2's (a call is `{ msg, opts }`, the answer an
 * `axm:reply` naming the action, so calls of one action are answered in
 * order). Every call ends: a reply, the timeout, or the child's exit.
 */
import { ActionFailedError, ActionTimeoutError, ActionUnknownError, type TendError } from '../errors.js'
import type { ActionReply } from '../app/protocol.js'

export interface CallTarget {
  readonly id: number
  readonly app: string
  /** Sends a message to the child; rejects when the channel is closed. */
  send(message: unknown): Promise<void>
}

interface Pending {
  readonly action: string
  readonly resolve: (value: unknown) => void
  readonly reject: (error: TendError) => void
  readonly timer: NodeJS.Timeout
}

export class ActionCalls {
  readonly #target: CallTarget
  #tendNames: readonly string[] = []
  readonly #pm2Names = new Set<string>()
  #next = 1
  readonly #tendCalls = new Map<number, Pending>()
  /** Per action, oldest first: an axm:reply answers the oldest call of its action. */
  readonly #pm2Calls = new Map<string, Pending[]>()
  #closed = false

  constructor(target: CallTarget) {
    this.#target = target
  }

  /** The actions the child has registered, tendjs/app's then @pm2/io's. */
  get names(): string[] {
    return [...new Set([...this.#tendNames, ...this.#pm2Names])]
  }

  setTendNames(names: unknown): void {
    if (Array.isArray(names)) this.#tendNames = names.filter((name): name is string => typeof name === 'string')
  }

  addPm2Name(name: string): void {
    this.#pm2Names.add(name)
  }

  #fields(action: string) {
    return { action, app: this.#target.app, id: this.#target.id }
  }

  /** Runs `action` in the child; rejects with ActionUnknownError, ActionTimeoutError or ActionFailedError. */
  call(action: string, params: unknown, timeout: number): Promise<unknown> {
    const isTend = this.#tendNames.includes(action)
    if (this.#closed || (!isTend && !this.#pm2Names.has(action))) return Promise.reject(new ActionUnknownError(this.#fields(action)))
    return new Promise((resolve, reject) => {
      const call = this.#next++
      const onTimeout = (): void => {
        if (isTend) {
          this.#tendCalls.delete(call)
          this.#target.send({ type: 'tend:action-cancel', call }).catch(() => undefined)
        } else {
          const queue = this.#pm2Calls.get(action) ?? []
          queue.splice(queue.indexOf(pending), 1)
        }
        reject(new ActionTimeoutError({ ...this.#fields(action), timeout }))
      }
      const pending: Pending = { action, resolve, reject, timer: setTimeout(onTimeout, timeout) }
      const message = isTend ? { type: 'tend:action', call, name: action, params: params ?? null } : { msg: action, opts: params ?? {} }
      if (isTend) this.#tendCalls.set(call, pending)
      else {
        const queue = this.#pm2Calls.get(action)
        if (queue) queue.push(pending)
        else this.#pm2Calls.set(action, [pending])
      }
      this.#target.send(message).catch((error: Error) => this.#settle(pending, call, this.#exitError(action, error.message)))
    })
  }

  #exitError(action: string, message: string): ActionFailedError {
    return new ActionFailedError({ ...this.#fields(action), reason: 'exit', message })
  }

  #settle(pending: Pending, call: number | null, outcome: TendError | { value: unknown }): void {
    clearTimeout(pending.timer)
    if (call !== null) this.#tendCalls.delete(call)
    const queue = this.#pm2Calls.get(pending.action)
    if (queue?.includes(pending)) queue.splice(queue.indexOf(pending), 1)
    if ('value' in outcome) pending.resolve(outcome.value)
    else pending.reject(outcome)
  }

  /** A tend:action-result from the child. */
  onTendReply(reply: ActionReply): void {
    const pending = this.#tendCalls.get(reply.call)
    if (!pending) return // timed out already
    if (reply.ok) return this.#settle(pending, reply.call, { value: reply.result })
    const fields = this.#fields(pending.action)
    const error = reply.unknown
      ? new ActionUnknownError(fields)
      : new ActionFailedError({ ...fields, reason: String(reply.error?.name ?? 'Error'), message: String(reply.error?.message ?? '') })
    this.#settle(pending, reply.call, error)
  }

  /** An axm:reply from the child. */
  onPm2Reply(data: unknown): void {
    const { action_name: action, return: value } = (data ?? {}) as { action_name?: unknown; return?: unknown }
    if (typeof action !== 'string') return
    const pending = this.#pm2Calls.get(action)?.[0]
    if (pending) this.#settle(pending, null, { value })
  }

  /** The child is gone: every call in flight fails. */
  close(): void {
    this.#closed = true
    for (const [call, pending] of [...this.#tendCalls]) this.#settle(pending, call, this.#exitError(pending.action, 'the process exited'))
    for (const queue of [...this.#pm2Calls.values()]) {
      for (const pending of [...queue]) this.#settle(pending, null, this.#exitError(pending.action, 'the process exited'))
    }
  }
}
