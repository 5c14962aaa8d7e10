/**
 * One sampler per Supervisor: every `interval` ms it reads CPU and memory of
 * all running processes with one batched pidusage call, stores the figures on
 * the processes and hands the sample on (the `metrics` event, maxMemoryRestart).
 *
 * Ticks never overlap: the next one is scheduled when the last has finished.
 * The timer is unref'd, so sampling alone never keeps the host alive.
 */
import pidusage from 'pidusage'
import { debuglog } from 'node:util'
import type { MetricsEvent } from '../types.js'

const debug = debuglog('tend')

/** What the sampler needs of a process: its pid, and where to put the figures. */
export interface Sampled {
  readonly id: number
  readonly pid: number | null
  cpu: number
  memory: number
}

export interface SamplerOptions<P extends Sampled> {
  /** ms between samples; 0 turns sampling off. */
  readonly interval: number
  /** The processes to sample now (those without a pid are skipped). */
  readonly processes: () => readonly P[]
  /** Called after each sample that measured at least one process. */
  readonly onSample: (sample: MetricsEvent, measured: readonly P[]) => void
}

export class MetricsSampler<P extends Sampled = Sampled> {
  readonly #options: SamplerOptions<P>
  #timer: NodeJS.Timeout | null = null
  #closed = false

  constructor(options: SamplerOptions<P>) {
    this.#options = options
  }

  /** Starts sampling (idempotent; a no-op when the interval is 0 or after close()). */
  start(): void {
    if (this.#timer || this.#closed || this.#options.interval <= 0) return
    this.#schedule()
  }

  #schedule(): void {
    this.#timer = setTimeout(() => {
      void this.sample().finally(() => {
        this.#timer = null
        if (!this.#closed) this.#schedule()
      })
    }, this.#options.interval)
    this.#timer.unref()
  }

  /** Takes one sample now. Resolves with it, or null when nothing was running. */
  async sample(): Promise<MetricsEvent | null> {
    const processes = this.#options.processes().filter((process) => process.pid !== null)
    if (processes.length === 0) return null
    const pids = processes.map((process) => process.pid!)
    let stats: Record<number, pidusage.Status | undefined>
    try {
      // One call for all: pidusage reads /proc/<pid>/stat for each (keeping the files open between calls).
      // With several pids it leaves out the ones that are gone instead of failing.
      // pidusage keeps each /proc/<pid>/stat open between calls (it needs the last reading for CPU) until
      // `maxage` ms after the pid was last asked for: a little over two intervals, so the file of a process
      // that has exited is closed within seconds instead of pidusage's default minute.
      const options = { maxage: 2 * this.#options.interval + 1000 }
      stats = pids.length === 1 ? { [pids[0]!]: await pidusage(pids[0]!, options) } : await pidusage(pids, options)
    } catch (error) {
      debug('metrics sample failed: %o', error)
      return null
    }
    if (this.#closed) return null
    const at = Date.now()
    const measured: { id: number; pid: number; cpu: number; memory: number }[] = []
    const updated: P[] = []
    processes.forEach((process, i) => {
      const pid = pids[i]!
      const stat = stats[pid]
      // The process may have exited or restarted while we read.
      if (!stat || process.pid !== pid) return
      process.cpu = Math.round(stat.cpu * 10) / 10
      process.memory = stat.memory
      measured.push({ id: process.id, pid, cpu: process.cpu, memory: process.memory })
      updated.push(process)
    })
    if (measured.length === 0) return null
    const sample: MetricsEvent = { at, processes: measured }
    this.#options.onSample(sample, updated)
    return sample
  }

  /** Stops sampling for good. */
  close(): void {
    this.#closed = true
    if (this.#timer) clearTimeout(this.#timer)
    this.#timer = null
  }
}
