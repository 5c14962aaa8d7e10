/**
 * Metric families across processes: each process's series, and per app the
 * series that combine its instances (by the metric's `aggregate`: counters
 * and histograms add up, gauges take sum, max, min, avg or the lowest
 * instance's value). A process whose metric disagrees with the family
 * already formed under that name (another kind, other buckets or labels) is
 * left out of it, with a problem to report.
 */
import type { Aggregate, MetricKind, MetricSnapshot } from '../app/protocol.js'
import type { MetricProblem } from './validate.js'

export interface Reporter {
  readonly app: string
  readonly instance: number
  readonly id: number
  readonly metrics: readonly MetricSnapshot[]
}

export interface FamilySeries {
  readonly labels: Readonly<Record<string, string>>
  readonly value?: number
  readonly counts?: readonly number[]
  readonly sum?: number
  readonly count?: number
}

export interface Family {
  readonly name: string
  readonly help: string
  readonly kind: MetricKind
  readonly aggregate: Aggregate
  readonly labelNames: readonly string[]
  readonly buckets?: readonly number[]
  /** Labels app, instance, id and the metric's own. */
  readonly instances: FamilySeries[]
  /** Labels app and the metric's own. */
  readonly apps: FamilySeries[]
}

/** Per label values, the instances' series in instance order. */
type LabelSets = Map<string, { labels: Record<string, string>; series: FamilySeries[] }>

function sameList<T>(a: readonly T[] | undefined, b: readonly T[] | undefined): boolean {
  return (a ?? []).length === (b ?? []).length && (a ?? []).every((item, index) => item === (b ?? [])[index])
}

function combine(aggregate: Aggregate, values: readonly number[]): number {
  switch (aggregate) {
    case 'sum':
      return values.reduce((total, value) => total + value, 0)
    case 'max':
      return Math.max(...values)
    case 'min':
      return Math.min(...values)
    case 'avg':
      return values.reduce((total, value) => total + value, 0) / values.length
    case 'first':
      return values[0]!
  }
}

/** Families by name, in the order first seen (reporters sorted by app, then instance). */
export function families(reporters: readonly Reporter[], onProblem: (reporter: Reporter, problem: MetricProblem) => void): Family[] {
  const byName = new Map<string, Family>()
  // per family, per app, per label values: the instances' series in instance order
  const grouped = new Map<Family, Map<string, LabelSets>>()
  const sorted = [...reporters].sort((a, b) => (a.app === b.app ? a.instance - b.instance : a.app < b.app ? -1 : 1))
  for (const reporter of sorted) {
    for (const metric of reporter.metrics) {
      let family = byName.get(metric.name)
      if (!family) {
        const { name, help, kind, aggregate, labelNames, buckets } = metric
        family = { name, help, kind, aggregate, labelNames, ...(buckets ? { buckets } : {}), instances: [], apps: [] }
        byName.set(metric.name, family)
        grouped.set(family, new Map())
      } else if (
        family.kind !== metric.kind ||
        family.aggregate !== metric.aggregate ||
        !sameList(family.labelNames, metric.labelNames) ||
        !sameList(family.buckets, metric.buckets)
      ) {
        onProblem(reporter, {
          metric: metric.name,
          reason: `another process defines ${metric.name} differently (kind, aggregate, labels or buckets)`,
        })
        continue
      }
      const apps = grouped.get(family)!
      let sets = apps.get(reporter.app)
      if (!sets) apps.set(reporter.app, (sets = new Map() as LabelSets))
      const own = { app: reporter.app, instance: String(reporter.instance), id: String(reporter.id) }
      for (const series of metric.series) {
        const labels = { ...series.labels, ...own }
        const instanceSeries: FamilySeries =
          'counts' in series
            ? {
                labels,
                counts: series.counts,
                sum: series.sum,
                count: series.count,
              }
            : { labels, value: series.value }
        family.instances.push(instanceSeries)
        const key = metric.labelNames.map((name) => series.labels[name] ?? '').join('\u0000')
        let set = sets.get(key)
        if (!set) sets.set(key, (set = { labels: { ...series.labels, app: reporter.app }, series: [] }))
        set.series.push(instanceSeries)
      }
    }
  }
  for (const [family, apps] of grouped) {
    for (const sets of apps.values()) {
      for (const { labels, series } of sets.values()) {
        if (family.kind === 'histogram') {
          const counts = series[0]!.counts!.map((_, index) => series.reduce((total, one) => total + one.counts![index]!, 0))
          const sum = series.reduce((total, one) => total + one.sum!, 0)
          const count = series.reduce((total, one) => total + one.count!, 0)
          family.apps.push({ labels, counts, sum, count })
        } else {
          family.apps.push({
            labels,
            value: combine(
              family.aggregate,
              series.map((one) => one.value!),
            ),
          })
        }
      }
    }
  }
  return [...byName.values()]
}
