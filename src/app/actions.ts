/**
 * Actions: named handlers the supervisor can run in this process
 * (`sup.invoke()`, `tend trigger`). Each call gets an AbortSignal that
 * aborts when the caller gives up (its timeout).
 */
import type { ActionCall, ActionCancel, ActionReply } from './protocol.js'
import { onSupervisorMessage, sendToSupervisor, supervised } from './transport.js'

export interface ActionContext {
  /** Aborts when the caller stops waiting (its timeout passed). */
  readonly signal: AbortSignal
}

/** Runs an action: params as the caller gave them; the result is sent back as JSON. */
export type ActionHandler = (params: unknown, context: ActionContext) => unknown

const handlers = new Map<string, ActionHandler>()
const running = new Map<number, AbortController>()
let listening = false

function isCall(message: unknown): message is ActionCall | ActionCancel {
  const type = (message as { type?: unknown } | null)?.type
  return type === 'tend:action' || type === 'tend:action-cancel'
}

function reply(message: ActionReply): void {
  try {
    sendToSupervisor(message)
  } catch {
    // unreachable: sendToSupervisor does not throw
  }
}

async function run(call: ActionCall): Promise<void> {
  const handler = handlers.get(call.name)
  if (!handler) {
    const error = { name: 'Error', message: `No action "${call.name}" is registered` }
    return reply({ type: 'tend:action-result', call: call.call, ok: false, unknown: true, error })
  }
  const controller = new AbortController()
  running.set(call.call, controller)
  try {
    const result = await handler(call.params, { signal: controller.signal })
    if (!controller.signal.aborted) sendResult(call.call, result)
  } catch (thrown) {
    const error = thrown instanceof Error ? { name: thrown.name, message: thrown.message } : { name: 'Error', message: String(thrown) }
    if (!controller.signal.aborted) reply({ type: 'tend:action-result', call: call.call, ok: false, error })
  } finally {
    running.delete(call.call)
  }
}

function sendResult(call: number, result: unknown): void {
  let plain: unknown
  try {
    // what the channel would do anyway, done here so a result it cannot carry is an error, not a lost reply
    plain = result === undefined ? undefined : JSON.parse(JSON.stringify(result))
  } catch (error) {
    const message = `The action's result cannot be sent as JSON: ${(error as Error).message}`
    return reply({ type: 'tend:action-result', call, ok: false, error: { name: 'TypeError', message } })
  }
  reply({ type: 'tend:action-result', call, ok: true, result: plain })
}

function listen(): void {
  if (listening || !supervised()) return
  listening = true
  onSupervisorMessage((message) => {
    if (!isCall(message)) return
    if (message.type === 'tend:action-cancel') running.get(message.call)?.abort(new Error('The caller stopped waiting'))
    else void run(message)
  })
}

export const actions = {
  /** Registers (or replaces) the action `name`. */
  register(name: string, handler: ActionHandler): void {
    if (typeof name !== 'string' || name === '') throw new TypeError('actions.register() needs a name')
    if (typeof handler !== 'function') throw new TypeError(`actions.register("${name}") needs a handler function`)
    handlers.set(name, handler)
    listen()
    sendToSupervisor({ type: 'tend:actions', names: [...handlers.keys()] })
  },
  /** Removes the action `name`. */
  unregister(name: string): void {
    if (!handlers.delete(name)) return
    sendToSupervisor({ type: 'tend:actions', names: [...handlers.keys()] })
  },
  /** The names of the registered actions. */
  names(): string[] {
    return [...handlers.keys()]
  },
  /** Runs an action here, as the supervisor would (for the app's own tests, and when not supervised). */
  async invoke(name: string, params?: unknown, options: { signal?: AbortSignal } = {}): Promise<unknown> {
    const handler = handlers.get(name)
    if (!handler) throw new Error(`No action "${name}" is registered`)
    return await handler(params, { signal: options.signal ?? new AbortController().signal })
  },
}
