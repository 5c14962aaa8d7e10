/**
 * Counters, gauges and histograms with prom-client's vocabulary, kept in the
 * process and sent to the supervisor as whole snapshots, at most once a
 * second and only when something changed (or a gauge has `collect`). An
 * update is an addition and a flag: cheap enough for every request.
 */
import type { Aggregate, HistogramSeries, MetricKind, MetricSnapshot, ValueSeries } from './protocol.js'
import { sendToSupervisor, supervised } from './transport.js'

type Labels = Readonly<Record<string, string | number>>

interface MetricOptions {
  /** The metric's name: `[a-zA-Z_:][a-zA-Z0-9_:]*`, not starting with `tend_`. */
  readonly name: string
  readonly help: string
  /** The names of its labels; `app`, `instance` and `id` are tend's. */
  readonly labelNames?: readonly string[]
}

export interface CounterOptions extends MetricOptions {
  /** How the app-level series combines instances. @default 'sum' */
  readonly aggregate?: 'sum'
}

export interface GaugeOptions extends MetricOptions {
  /** How the app-level series combines instances. @default 'sum' */
  readonly aggregate?: Aggregate
  /** Called before each report: its value (for the unlabelled series) replaces the gauge's. */
  readonly collect?: () => number | void
}

export interface HistogramOptions extends MetricOptions {
  /** Upper bounds, ascending. @default prom-client's: 0.005 … 10 */
  readonly buckets?: readonly number[]
  /** @default 'sum' (buckets, sum and count add up) */
  readonly aggregate?: 'sum'
}

/** Ends a timer started with `startTimer()`; returns the seconds elapsed. */
export type EndTimer = (labels?: Labels) => number

const DEFAULT_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]
const REPORT_INTERVAL = 1000

// ------------------------------------------------------------ reporting

const registered = new Map<string, Metric<unknown>>()
let dirty = false
let timer: NodeJS.Timeout | null = null
let lastSent = 0

function changed(): void {
  if (dirty) return
  dirty = true
  schedule()
}

function schedule(): void {
  if (timer !== null || !supervised()) return
  timer = setTimeout(report, Math.max(0, lastSent + REPORT_INTERVAL - Date.now()))
  timer.unref()
}

function report(): void {
  timer = null
  const polled = [...registered.values()].some((metric) => metric.polled)
  if (!dirty && !polled) return
  dirty = false
  lastSent = Date.now()
  sendToSupervisor({ type: 'tend:metrics', metrics: snapshot() })
  if (polled) schedule()
}

/** Every metric of this process as it stands (what the next report sends). */
export function snapshot(): MetricSnapshot[] {
  return [...registered.values()].map((metric) => metric.snapshot())
}

function seconds(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e9
}

// ------------------------------------------------------------ metrics

abstract class Metric<S> {
  readonly name: string
  readonly help: string
  readonly labelNames: readonly string[]
  readonly #series = new Map<string, { labels: Record<string, string>; state: S }>()
  #unlabelled: S | null = null

  constructor(options: MetricOptions) {
    this.name = String(options.name)
    this.help = String(options.help ?? '')
    this.labelNames = [...(options.labelNames ?? [])].map(String)
  }

  abstract readonly kind: MetricKind
  abstract readonly aggregate: Aggregate
  get polled(): boolean {
    return false
  }
  protected abstract fresh(): S
  protected abstract seriesOf(labels: Record<string, string>, state: S): ValueSeries | HistogramSeries

  protected state(labels?: Labels): S {
    if (labels === undefined || this.labelNames.length === 0) return (this.#unlabelled ??= this.fresh())
    const values = this.labelNames.map((name) => String(labels[name] ?? ''))
    const key = values.join('\u0000')
    let entry = this.#series.get(key)
    if (!entry) {
      const named: Record<string, string> = {}
      for (const [name, value] of Object.entries(labels)) named[name] = String(value)
      this.#series.set(key, (entry = { labels: named, state: this.fresh() }))
    }
    return entry.state
  }

  /** The label values in `labelNames` order, as prom-client's `labels()` takes them. */
  protected labelsOf(values: readonly (string | number)[]): Labels {
    const labels: Record<string, string> = {}
    this.labelNames.forEach((name, index) => (labels[name] = String(values[index] ?? '')))
    return labels
  }

  /** Forgets every series (prom-client's `reset()`). */
  reset(): void {
    this.#series.clear()
    this.#unlabelled = null
    changed()
  }

  snapshot(): MetricSnapshot {
    const series: (ValueSeries | HistogramSeries)[] = []
    if (this.#unlabelled !== null) series.push(this.seriesOf({}, this.#unlabelled))
    for (const { labels, state } of this.#series.values()) series.push(this.seriesOf(labels, state))
    const extra = this.kind === 'histogram' ? { buckets: (this as unknown as Histogram).buckets } : {}
    return { name: this.name, help: this.help, kind: this.kind, aggregate: this.aggregate, labelNames: this.labelNames, ...extra, series }
  }
}

interface Box {
  value: number
}

function finite(value: number): boolean {
  return typeof value === 'number' && Number.isFinite(value)
}

export class Counter extends Metric<Box> {
  readonly kind = 'counter'
  readonly aggregate = 'sum'
  protected fresh(): Box {
    return { value: 0 }
  }
  protected seriesOf(labels: Record<string, string>, state: Box): ValueSeries {
    return { labels, value: state.value }
  }
  /** Adds `amount` (1 by default; a negative or non-finite amount is ignored: a counter only goes up). */
  inc(amount?: number): void
  inc(labels: Labels, amount?: number): void
  inc(first?: number | Labels, second?: number): void {
    const labels = typeof first === 'object' ? first : undefined
    const amount = (typeof first === 'number' ? first : second) ?? 1
    if (!finite(amount) || amount < 0) return
    this.state(labels).value += amount
    changed()
  }
  labels(...values: (string | number)[]): { inc(amount?: number): void } {
    const labels = this.labelsOf(values)
    return { inc: (amount) => this.inc(labels, amount) }
  }
}

export class Gauge extends Metric<Box> {
  readonly kind = 'gauge'
  readonly aggregate: Aggregate
  readonly #collect: (() => number | void) | undefined
  constructor(options: GaugeOptions) {
    super(options)
    this.aggregate = options.aggregate ?? 'sum'
    this.#collect = options.collect
  }
  override get polled(): boolean {
    return this.#collect !== undefined
  }
  protected fresh(): Box {
    return { value: 0 }
  }
  protected seriesOf(labels: Record<string, string>, state: Box): ValueSeries {
    return { labels, value: state.value }
  }
  override snapshot(): MetricSnapshot {
    if (this.#collect) {
      try {
        const value = this.#collect()
        if (typeof value === 'number' && !Number.isNaN(value)) this.state().value = value
      } catch {
        // a failing collect keeps the last value; the app's own code is not ours to crash
      }
    }
    return super.snapshot()
  }
  set(value: number): void
  set(labels: Labels, value: number): void
  set(first: number | Labels, second?: number): void {
    const [labels, value] = typeof first === 'object' ? [first, second] : [undefined, first]
    if (typeof value !== 'number' || Number.isNaN(value)) return
    this.state(labels).value = value
    changed()
  }
  inc(amount?: number): void
  inc(labels: Labels, amount?: number): void
  inc(first?: number | Labels, second?: number): void {
    const labels = typeof first === 'object' ? first : undefined
    const amount = (typeof first === 'number' ? first : second) ?? 1
    if (!finite(amount)) return
    this.state(labels).value += amount
    changed()
  }
  dec(amount?: number): void
  dec(labels: Labels, amount?: number): void
  dec(first?: number | Labels, second?: number): void {
    const labels = typeof first === 'object' ? first : undefined
    const amount = (typeof first === 'number' ? first : second) ?? 1
    if (labels) this.inc(labels, -amount)
    else this.inc(-amount)
  }
  /** Sets the gauge to the seconds elapsed when the returned function is called. */
  startTimer(labels?: Labels): EndTimer {
    const start = process.hrtime.bigint()
    return (more) => {
      const elapsed = seconds(start)
      this.set({ ...labels, ...more }, elapsed)
      return elapsed
    }
  }
  labels(...values: (string | number)[]) {
    const labels = this.labelsOf(values)
    return {
      set: (value: number) => this.set(labels, value),
      inc: (amount?: number) => this.inc(labels, amount),
      dec: (amount?: number) => this.dec(labels, amount),
      startTimer: () => this.startTimer(labels),
    }
  }
}

interface Buckets {
  counts: number[]
  sum: number
  count: number
}

export class Histogram extends Metric<Buckets> {
  readonly kind = 'histogram'
  readonly aggregate = 'sum'
  readonly buckets: readonly number[]
  constructor(options: HistogramOptions) {
    super(options)
    this.buckets = [...(options.buckets ?? DEFAULT_BUCKETS)].filter(finite).sort((a, b) => a - b)
  }
  protected fresh(): Buckets {
    return { counts: new Array<number>(this.buckets.length + 1).fill(0), sum: 0, count: 0 }
  }
  protected seriesOf(labels: Record<string, string>, state: Buckets): HistogramSeries {
    return { labels, counts: [...state.counts], sum: state.sum, count: state.count }
  }
  observe(value: number): void
  observe(labels: Labels, value: number): void
  observe(first: number | Labels, second?: number): void {
    const [labels, value] = typeof first === 'object' ? [first, second] : [undefined, first]
    if (typeof value !== 'number' || !finite(value)) return
    const state = this.state(labels)
    let index = 0
    while (index < this.buckets.length && value > this.buckets[index]!) index++
    state.counts[index]!++
    state.sum += value
    state.count++
    changed()
  }
  /** Observes the seconds elapsed when the returned function is called. */
  startTimer(labels?: Labels): EndTimer {
    const start = process.hrtime.bigint()
    return (more) => {
      const elapsed = seconds(start)
      if (more === undefined) {
        if (labels === undefined) this.observe(elapsed)
        else this.observe(labels, elapsed)
      } else this.observe({ ...labels, ...more }, elapsed)
      return elapsed
    }
  }
  labels(...values: (string | number)[]) {
    const labels = this.labelsOf(values)
    return { observe: (value: number) => this.observe(labels, value), startTimer: () => this.startTimer(labels) }
  }
}

function define<M extends Metric<unknown>>(name: string, kind: MetricKind, make: () => M): M {
  const existing = registered.get(name)
  // The same definition twice (a module loaded twice, a hot path that defines lazily) is the same metric.
  if (existing && existing.kind === kind) return existing as M
  const metric = make()
  registered.set(name, metric)
  changed()
  return metric
}

/** Custom metrics, reported to the supervisor (or kept locally when not supervised). */
export const metrics = {
  counter: (options: CounterOptions): Counter => define(String(options.name), 'counter', () => new Counter(options)),
  gauge: (options: GaugeOptions): Gauge => {
    const gauge = define(String(options.name), 'gauge', () => new Gauge(options))
    if (gauge.polled) schedule()
    return gauge
  },
  histogram: (options: HistogramOptions): Histogram => define(String(options.name), 'histogram', () => new Histogram(options)),
  /** Every metric as it stands, as the supervisor would receive it. */
  snapshot,
  /** Forgets every metric (for tests of the app itself). */
  clear(): void {
    registered.clear()
    changed()
  },
}
