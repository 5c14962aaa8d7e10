/**
 * A bounded history of metrics samples (CPU and memory of every process,
 * one entry per sampler tick), for charts over the last hour: the daemon
 * and the foreground runtime keep one, and the dashboard and `tend monit`
 * read it over RPC.
 *
 * Memory is bounded twice: by age (`window`) and by count (`capacity`
 * ticks). The last ten minutes keep every tick; older ticks are merged into
 * one per 10 seconds (the averages), which is finer than any chart of the
 * hour asks for (360 points). Each tick stores its figures in typed arrays,
 * 8 bytes per process, and shares its list of ids with the tick before when
 * the same processes ran: an hour of an idle fleet sampled every second
 * is about 7 KiB per process.
 */
import { InvalidArgumentError } from '../errors.js'
import type { Supervisor } from '../supervisor.js'
import type { MetricsEvent } from '../types.js'

export interface MetricsHistoryOptions {
  /** How far back samples are kept, in ms. @default 3600000 (one hour) */
  readonly window?: number
  /** The most ticks kept, whatever their age. @default 3600 */
  readonly capacity?: number
}

export interface HistoryQuery {
  /** Only samples taken at or after this time (ms since the epoch). @default the whole window */
  readonly since?: number
  /** Only these process ids. @default every process in the range */
  readonly ids?: readonly number[]
  /** Bucket width in ms: samples in one bucket are averaged. @default chosen so that there are at most `maxPoints` */
  readonly step?: number
  /** The most points per series when `step` is not given. @default 360 */
  readonly maxPoints?: number
}

/** One process's figures, one entry per bucket of `HistoryAnswer.at` (null: not measured then). */
export interface HistorySeries {
  readonly id: number
  readonly name: string
  /** Percent of one core. */
  readonly cpu: (number | null)[]
  /** Resident memory in bytes. */
  readonly memory: (number | null)[]
}

export interface HistoryAnswer {
  /** The time of each bucket (its last sample), ms since the epoch. */
  readonly at: number[]
  /** Bucket width in ms (0 when every sample is its own point). */
  readonly step: number
  readonly series: HistorySeries[]
}

interface Tick {
  readonly at: number
  /** Shared with the tick before when it measured the same ids in the same order. */
  readonly ids: Int32Array
  readonly cpu: Float32Array
  /** Bytes; a float32 is within 1 KiB of the figure up to 16 GiB. */
  readonly memory: Float32Array
}

/** Ticks younger than this keep their own figures; older ones are merged per COARSE_STEP. */
export const FINE_WINDOW = 600_000
export const COARSE_STEP = 10_000

function sameIds(a: Int32Array, b: Int32Array): boolean {
  if (a === b) return true
  if (a.length !== b.length) return false
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false
  return true
}

/** One tick with the average of each process's figures over `ticks` (at: the last one's). */
function merged(ticks: readonly Tick[]): Tick {
  const last = ticks.at(-1)!
  if (ticks.every((tick) => sameIds(tick.ids, last.ids))) {
    const cpu = new Float32Array(last.ids.length)
    const memory = new Float32Array(last.ids.length)
    for (const tick of ticks) {
      for (let i = 0; i < cpu.length; i++) {
        cpu[i]! += tick.cpu[i]! / ticks.length
        memory[i]! += tick.memory[i]! / ticks.length
      }
    }
    return { at: last.at, ids: last.ids, cpu, memory }
  }
  const sums = new Map<number, { cpu: number; memory: number; n: number }>()
  for (const tick of ticks) {
    tick.ids.forEach((id, i) => {
      const sum = sums.get(id) ?? { cpu: 0, memory: 0, n: 0 }
      sum.cpu += tick.cpu[i]!
      sum.memory += tick.memory[i]!
      sum.n++
      sums.set(id, sum)
    })
  }
  const ids = Int32Array.from(sums.keys())
  const values = [...sums.values()]
  return {
    at: last.at,
    ids,
    cpu: Float32Array.from(values, (sum) => sum.cpu / sum.n),
    memory: Float32Array.from(values, (sum) => sum.memory / sum.n),
  }
}

const isCount = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value) && value >= 0

/** Checks a query that came from outside (RPC, HTTP): a typed error for anything malformed. */
export function parseHistoryQuery(input: unknown): HistoryQuery {
  if (input === undefined || input === null) return {}
  if (typeof input !== 'object' || Array.isArray(input)) throw new InvalidArgumentError('query', 'A history query is an object')
  const { since, ids, step, maxPoints } = input as Record<string, unknown>
  for (const [name, value] of Object.entries({ since, step, maxPoints })) {
    if (value !== undefined && !isCount(value))
      throw new InvalidArgumentError(name, `${name} takes a number ≥ 0, got ${JSON.stringify(value)}`)
  }
  if (ids !== undefined && !(Array.isArray(ids) && ids.every((id) => Number.isInteger(id)))) {
    throw new InvalidArgumentError('ids', `ids takes an array of process ids, got ${JSON.stringify(ids)}`)
  }
  return { since, ids, step, maxPoints } as HistoryQuery
}

/** Upper bound on points × series in one answer, so one answer stays well under the RPC frame limit. */
const MAX_VALUES = 60_000

export class MetricsHistory {
  readonly #window: number
  readonly #capacity: number
  readonly #ticks: Tick[] = []
  readonly #names = new Map<number, string>()
  /** How many held ticks measured each id: a name is forgotten when its last tick goes. */
  readonly #ticksOf = new Map<number, number>()
  /** Ticks before this index have been merged (older than FINE_WINDOW). */
  #fineFrom = 0

  constructor(options: MetricsHistoryOptions = {}) {
    this.#window = options.window ?? 3_600_000
    this.#capacity = options.capacity ?? 3600
  }

  /** Ticks held now. */
  get size(): number {
    return this.#ticks.length
  }

  /** Remembers the app name of a process id (names outlive the processes, for their past samples). */
  name(id: number, name: string): void {
    this.#names.set(id, name)
  }

  record(sample: MetricsEvent): void {
    const { processes } = sample
    const previous = this.#ticks.at(-1)?.ids
    // an idle fleet measures the same ids tick after tick: they are kept once
    const same = previous !== undefined && previous.length === processes.length && processes.every((entry, i) => previous[i] === entry.id)
    const ids = same ? previous : Int32Array.from(processes, (entry) => entry.id)
    const cpu = Float32Array.from(processes, (entry) => entry.cpu)
    const memory = Float32Array.from(processes, (entry) => entry.memory)
    this.#add({ at: sample.at, ids, cpu, memory })
    this.#trim(sample.at)
    this.#compact(sample.at)
  }

  #add(tick: Tick): void {
    this.#ticks.push(tick)
    this.#counted(tick, 1)
  }

  /** Counts (or uncounts) the ticks that measured each id; a name is forgotten with its id's last tick. */
  #counted(tick: Tick, by: 1 | -1): void {
    for (const id of tick.ids) {
      const left = (this.#ticksOf.get(id) ?? 0) + by
      if (left > 0) this.#ticksOf.set(id, left)
      else if (by === -1) {
        this.#ticksOf.delete(id)
        this.#names.delete(id)
      }
    }
  }

  #trim(now: number): void {
    let drop = Math.max(0, this.#ticks.length - this.#capacity)
    while (drop < this.#ticks.length && this.#ticks[drop]!.at < now - this.#window) drop++
    if (drop === 0) return
    for (const tick of this.#ticks.splice(0, drop)) this.#counted(tick, -1)
    this.#fineFrom = Math.max(0, this.#fineFrom - drop)
  }

  /** Merges the ticks older than FINE_WINDOW into one per COARSE_STEP, once a later tick shows the step is complete. */
  #compact(now: number): void {
    const ticks = this.#ticks
    for (;;) {
      const start = this.#fineFrom
      const first = ticks[start]
      if (!first || first.at >= now - FINE_WINDOW) return
      const step = Math.floor(first.at / COARSE_STEP)
      let end = start + 1
      while (end < ticks.length && Math.floor(ticks[end]!.at / COARSE_STEP) === step) end++
      if (end === ticks.length || ticks[end - 1]!.at >= now - FINE_WINDOW) return
      if (end - start > 1) {
        const group = ticks.slice(start, end)
        const one = merged(group)
        this.#counted(one, 1) // before the group is uncounted, so no name is forgotten in between
        for (const tick of group) this.#counted(tick, -1)
        ticks.splice(start, end - start, one)
      }
      this.#fineFrom = start + 1
    }
  }

  query(query: HistoryQuery = {}): HistoryAnswer {
    const since = query.since ?? 0
    const wanted = query.ids ? new Set(query.ids) : null
    const ticks = this.#ticks.filter((tick) => tick.at >= since)
    if (ticks.length === 0) return { at: [], step: 0, series: [] }
    const ids = new Set<number>()
    for (const tick of ticks) for (const id of tick.ids) if (!wanted || wanted.has(id)) ids.add(id)
    const first = ticks[0]!.at
    const span = ticks.at(-1)!.at - first
    const maxPoints = Math.max(1, Math.min(query.maxPoints ?? 360, Math.floor(MAX_VALUES / Math.max(1, ids.size))))
    // Whole seconds, so buckets line up with a 1 s sampler.
    const needed = ticks.length > maxPoints ? Math.ceil((span + 1) / maxPoints / 1000) * 1000 : 0
    const step = Math.max(query.step ?? 0, needed)

    // Group ticks into buckets of `step` ms (or one bucket per tick), then average each id within a bucket.
    const buckets: Tick[][] = []
    let bucketStart = Number.NEGATIVE_INFINITY
    for (const tick of ticks) {
      if (step === 0 || tick.at >= bucketStart + step) {
        buckets.push([])
        bucketStart = step === 0 ? tick.at : first + Math.floor((tick.at - first) / step) * step
      }
      buckets.at(-1)!.push(tick)
    }
    const order = [...ids].sort((a, b) => a - b)
    const index = new Map(order.map((id, i) => [id, i]))
    const series: HistorySeries[] = order.map((id) => ({ id, name: this.#names.get(id) ?? String(id), cpu: [], memory: [] }))
    const at: number[] = []
    for (const bucket of buckets) {
      at.push(bucket.at(-1)!.at)
      const sums = order.map(() => ({ cpu: 0, memory: 0, n: 0 }))
      for (const tick of bucket) {
        tick.ids.forEach((id, i) => {
          const slot = index.get(id)
          if (slot === undefined) return
          const sum = sums[slot]!
          sum.cpu += tick.cpu[i]!
          sum.memory += tick.memory[i]!
          sum.n++
        })
      }
      sums.forEach((sum, slot) => {
        series[slot]!.cpu.push(sum.n === 0 ? null : Math.round((sum.cpu / sum.n) * 10) / 10)
        series[slot]!.memory.push(sum.n === 0 ? null : Math.round(sum.memory / sum.n))
      })
    }
    return { at, step, series }
  }
}

/**
 * A history fed by a Supervisor's `metrics` events, with each process's app
 * name learnt when it spawns. `stop()` detaches it.
 */
export function recordHistory(supervisor: Supervisor, options: MetricsHistoryOptions = {}): { history: MetricsHistory; stop(): void } {
  const history = new MetricsHistory(options)
  for (const info of supervisor.list()) history.name(info.id, info.name)
  const onSpawn = ({ process }: { process: { id: number; name: string } }): void => history.name(process.id, process.name)
  const onMetrics = (sample: MetricsEvent): void => history.record(sample)
  supervisor.on('process:spawn', onSpawn)
  supervisor.on('metrics', onMetrics)
  return {
    history,
    stop() {
      supervisor.off('process:spawn', onSpawn)
      supervisor.off('metrics', onMetrics)
    },
  }
}
