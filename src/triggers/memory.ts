/**
 * `maxMemoryRestart`: after each metrics sample, asks for a restart of each
 * running process over its limit, once until that restart has been carried
 * out (a sample over the limit while one waits adds none).
 */
import type { Status } from '../types.js'

export interface MemoryCandidate {
  readonly status: Status
  readonly memory: number
  readonly pid: number | null
  readonly spec: { readonly maxMemoryRestart: number | null }
}

/** True when the last sample put a running process over its `maxMemoryRestart`. */
export function memoryOverLimit(process: MemoryCandidate): boolean {
  const limit = process.spec.maxMemoryRestart
  return limit !== null && process.pid !== null && process.status === 'online' && process.memory > limit
}

export class MemoryTrigger<P extends MemoryCandidate> {
  readonly #restart: (process: P) => Promise<void>
  readonly #pending = new Set<P>()

  /** `restart` resolves once the restart it asked for has been carried out (or given up); it never rejects. */
  constructor(restart: (process: P) => Promise<void>) {
    this.#restart = restart
  }

  /** Checks the processes one sample measured. */
  check(measured: readonly P[]): void {
    for (const process of measured) {
      if (this.#pending.has(process) || !memoryOverLimit(process)) continue
      this.#pending.add(process)
      void this.#restart(process).finally(() => this.#pending.delete(process))
    }
  }
}
