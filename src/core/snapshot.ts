/** Plain ProcessInfo snapshots, with secret-looking env values redacted (once per spec). */
import type { LogFiles, NormalizedSpec, ProcessDescription, ProcessInfo, SocketInfo } from '../types.js'
import { redactSpec } from '../util/redact.js'
import type { ManagedProcess } from './managed-process.js'

export class Snapshots {
  readonly #redacted = new WeakMap<NormalizedSpec, NormalizedSpec>()

  /** The process's state, without its spec (list(), events, the replies of operations). */
  of(process: ManagedProcess, logFiles: LogFiles, sockets: readonly SocketInfo[]): ProcessInfo {
    const { spec } = process
    const running = process.pid !== null
    return {
      id: process.id,
      name: spec.name,
      namespace: spec.namespace,
      instance: process.instance,
      mode: spec.mode,
      pid: process.pid,
      status: process.status,
      restarts: process.restarts,
      unstableRestarts: process.unstableRestarts,
      startedAt: process.startedAt,
      uptime: running && process.startedAt !== null ? Date.now() - process.startedAt : 0,
      exitCode: process.exitCode,
      signal: process.exitSignal,
      nextRestartAt: process.nextRestartAt,
      cpu: running ? process.cpu : 0,
      memory: running ? process.memory : 0,
      logFiles,
      confirmedReady: process.confirmedReady,
      ...(process.health ? { health: process.health } : {}),
      watching: spec.watch !== false,
      sockets,
    }
  }

  /** The process's state and its app's spec, redacted once per spec and shared by the app's processes. */
  described(process: ManagedProcess, logFiles: LogFiles, sockets: readonly SocketInfo[]): ProcessDescription {
    const { spec } = process
    let redacted = this.#redacted.get(spec)
    if (!redacted) this.#redacted.set(spec, (redacted = redactSpec(spec)))
    return { ...this.of(process, logFiles, sockets), spec: redacted }
  }
}
