/** `cronRestart`: calls `fire` on a cron schedule (croner), until closed. */
import { Cron } from 'croner'

export class CronTrigger {
  readonly #job: Cron

  /** `expression` was validated by normalizeSpec. The timer is unref'd: a schedule alone never keeps the host alive. */
  constructor(expression: string, fire: () => void) {
    // protect: a firing while the previous one's callback still runs is skipped.
    this.#job = new Cron(expression, { unref: true, protect: true }, () => fire())
  }

  /** When the schedule fires next, or null. */
  nextRun(): Date | null {
    return this.#job.nextRun()
  }

  close(): void {
    this.#job.stop()
  }
}
