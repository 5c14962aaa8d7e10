/** Restarts asked for by triggers (memory, cron, watch), and which processes each may restart. */
import { debuglog } from 'node:util'
import type { KeyedQueue } from '../core/keyed-queue.js'
import type { ManagedProcess } from '../core/managed-process.js'
import type { Registry } from '../core/registry.js'
import type { Status } from '../types.js'
import type { TriggerReason } from './reason.js'

const debug = debuglog('tend')

interface Candidate {
  readonly status: Status
}

/**
 * `cron` and `memory` restart a running process only (a stopped or errored one
 * stays as it is); `watch` also brings back one that crashed or is waiting to
 * restart, since a code change is what it was waiting for. None touches a
 * process that was stopped.
 */
export function restartableBy(reason: TriggerReason, process: Candidate): boolean {
  if (reason === 'watch') return process.status !== 'stopped' && process.status !== 'stopping'
  return process.status === 'online'
}

/** What TriggerRestarts needs of the Supervisor. */
export interface TriggerRestartHost {
  readonly queue: KeyedQueue
  readonly registry: Registry
  readonly isClosing: () => boolean
}

/**
 * Carries out restarts that triggers ask for: queued under the app's lock like
 * any operation, acting on what holds at its turn. Nobody awaits them; a
 * failure shows in the process's events and status (and in NODE_DEBUG=tend).
 */
export class TriggerRestarts {
  readonly #host: TriggerRestartHost

  constructor(host: TriggerRestartHost) {
    this.#host = host
  }

  /**
   * Restarts the app's processes that `reason` may restart (or only
   * `process`, if given and still the same run). Resolves once done; never rejects.
   */
  async request(appName: string, reason: TriggerReason, process?: ManagedProcess): Promise<void> {
    if (this.#host.isClosing()) return
    const pid = process?.pid ?? null
    debug('%s restart of %s', reason, process ? `process ${process.id}` : appName)
    await this.#host.queue
      .run(appName, async () => {
        const app = this.#host.registry.apps.get(appName)
        if (this.#host.isClosing() || !app) return
        const chosen = app.processes.filter(
          (candidate) => (!process || (candidate === process && candidate.pid === pid)) && restartableBy(reason, candidate),
        )
        // One at a time, each online before the next, as restart() does: an app of two or more keeps serving.
        for (const candidate of chosen) {
          try {
            await candidate.restart(reason)
            await candidate.untilOnline()
          } catch (error) {
            debug('%s restart of process %d failed: %o', reason, candidate.id, error)
          }
        }
      })
      .catch((error: unknown) => debug('%s restart of %s failed: %o', reason, appName, error))
  }
}
