/**
 * The cron and watch triggers of every app of one Supervisor. Armed while the
 * app has processes meant to run, torn down by stop, delete and close. They
 * only ask; the Supervisor restarts under the app's operation lock.
 */
import type { NormalizedSpec } from '../types.js'
import { CronTrigger } from './cron.js'
import type { TriggerReason } from './reason.js'
import { WatchTrigger } from './watch.js'

interface Armed {
  readonly cron: CronTrigger | null
  readonly watch: WatchTrigger | null
}

export class AppTriggers {
  readonly #armed = new Map<string, Armed>()
  readonly #fire: (app: string, reason: TriggerReason) => void
  #closed = false

  constructor(fire: (app: string, reason: TriggerReason) => void) {
    this.#fire = fire
  }

  /** Starts the app's triggers, if it has any and they are not running yet; resolves once a watcher is ready. */
  async arm(spec: NormalizedSpec, logFiles: readonly string[] = []): Promise<void> {
    if (this.#closed || this.#armed.has(spec.name) || (spec.cronRestart === null && spec.watch === false)) return
    const name = spec.name
    const armed: Armed = {
      cron: spec.cronRestart === null ? null : new CronTrigger(spec.cronRestart, () => this.#fire(name, 'cron')),
      watch:
        spec.watch === false
          ? null
          : new WatchTrigger(
              { paths: spec.watch, cwd: spec.cwd, ignore: spec.ignoreWatch, ignoreFiles: logFiles, delay: spec.watchDelay },
              () => this.#fire(name, 'watch'),
            ),
    }
    this.#armed.set(name, armed)
    await armed.watch?.ready
  }

  isArmed(app: string): boolean {
    return this.#armed.has(app)
  }

  /** Stops the app's triggers (no-op when none run). */
  async disarm(app: string): Promise<void> {
    const armed = this.#armed.get(app)
    if (!armed) return
    this.#armed.delete(app)
    armed.cron?.close()
    await armed.watch?.close()
  }

  /** Stops every trigger; arms none after. */
  async close(): Promise<void> {
    this.#closed = true
    await Promise.allSettled([...this.#armed.keys()].map((app) => this.disarm(app)))
  }
}
