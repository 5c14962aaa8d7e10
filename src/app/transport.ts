/**
 * The child's side of the IPC channel. Nothing is sent unless the process
 * runs under tend: `process.send` exists and the supervisor's pid, which
 * tend puts in the child's environment, is the parent's. Otherwise every
 * call of tendjs/app works locally and sends nothing.
 */
import { SUPERVISOR_PID_ENV } from './protocol.js'

let cached: boolean | undefined

/** True when this process is a tend child with an open IPC channel. */
export function supervised(): boolean {
  cached ??= typeof process.send === 'function' && process.env[SUPERVISOR_PID_ENV] === String(process.ppid)
  return cached && process.connected !== false
}

/** Sends a message to the supervisor when supervised; never throws (a closed channel loses it). */
export function sendToSupervisor(message: unknown): void {
  if (!supervised()) return
  try {
    process.send!(message, undefined, undefined, () => undefined)
  } catch {
    // the channel closed meanwhile: the supervisor is gone or stopping us
  }
}

/**
 * Listens to messages from the supervisor. Adding a 'message' listener refs
 * the IPC channel, which would keep an app alive that would otherwise end
 * (tend unrefs the channel in every child): unref it again to balance.
 */
export function onSupervisorMessage(listener: (message: unknown) => void): void {
  process.on('message', listener)
  const channel = process.channel as { unrefCounted?: () => void } | undefined
  channel?.unrefCounted?.()
}
