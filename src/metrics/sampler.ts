/**
 * One sampler per Supervisor: every `interval` ms it reads CPU and memory of
 * all running processes in one pass (on Linux straight from /proc, see
 * proc-stat.ts; elsewhere one batched pidusage call), stores the figures on
 * the processes and hands the sample on (the `metrics` event, maxMemoryRestart).
 *
 * Ticks never overlap: the next one is scheduled when the last has finished.
 * On Linux a large fleet is sampled less often: the gap after a tick is at
 * least BUDGET_FACTOR times what the tick spent reading, so sampling stays
 * near 0.5 % of one core however many processes there are (about every 2 s
 * for 1,000 processes on a slow 2-core machine, every 10 s for 5,000).
 * The timer is unref'd, so sampling alone never keeps the host alive.
 */
import pidusage from 'pidusage'
import { debuglog } from 'node:util'
import type { MetricsEvent } from '../types.js'
import { ProcStatReader, type ProcUsage } from './proc-stat.js'

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

/** The gap after a tick is at least this many times the tick's own reading time: at most 1/200 = 0.5 % of a core. */
export const BUDGET_FACTOR = 200

export class MetricsSampler<P extends Sampled = Sampled> {
  readonly #options: SamplerOptions<P>
  readonly #proc = process.platform === 'linux' ? new ProcStatReader() : null
  #timer: NodeJS.Timeout | null = null
  #closed = false
  /** How long the last tick spent reading, in ms. */
  #lastTickMs = 0

  constructor(options: SamplerOptions<P>) {
    this.#options = options
  }

  /** The gap before the next tick: the interval, or more for a fleet whose tick costs more than the budget. */
  get nextDelay(): number {
    return Math.max(this.#options.interval, Math.ceil(this.#lastTickMs * BUDGET_FACTOR))
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
    }, this.nextDelay)
    this.#timer.unref()
  }

  /** Takes one sample now. Resolves with it, or null when nothing was running. */
  async sample(): Promise<MetricsEvent | null> {
    const processes = this.#options.processes().filter((process) => process.pid !== null)
    if (processes.length === 0) return null
    const pids = processes.map((process) => process.pid!)
    let stats: Map<number, ProcUsage>
    try {
      stats = await this.#read(pids)
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
      const stat = stats.get(pid)
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

  /** Every pid's usage; a pid that is gone is left out. */
  async #read(pids: readonly number[]): Promise<Map<number, ProcUsage>> {
    if (this.#proc) {
      const usage = await this.#proc.read(pids)
      this.#lastTickMs = this.#proc.lastPassMs
      return usage
    }
    // Elsewhere one pidusage call for all (it leaves out the pids that are gone when given several).
    // pidusage keeps what it needs for CPU between calls until `maxage` ms after a pid was last asked
    // for: a little over two intervals, so a process that has exited is forgotten within seconds.
    const options = { maxage: 2 * this.#options.interval + 1000 }
    const stats: Record<number, pidusage.Status | undefined> =
      pids.length === 1 ? { [pids[0]!]: await pidusage(pids[0]!, options) } : await pidusage([...pids], options)
    const usage = new Map<number, ProcUsage>()
    for (const pid of pids) {
      const stat = stats[pid]
      if (stat) usage.set(pid, { cpu: stat.cpu, memory: stat.memory })
    }
    return usage
  }

  /** Stops sampling for good. */
  close(): void {
    this.#closed = true
    if (this.#timer) clearTimeout(this.#timer)
    this.#timer = null
  }
}
