/**
 * What a child reports is untrusted input: each metric is checked before it
 * is kept (a name and labels Prometheus accepts, a known kind and
 * aggregate, numbers where numbers go, bounded cardinality). A bad metric
 * is dropped with a reason; the rest of the report still counts.
 */
import type { Aggregate, HistogramSeries, MetricKind, MetricSnapshot, ValueSeries } from '../app/protocol.js'

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/
const LABEL = /^[a-zA-Z_][a-zA-Z0-9_]*$/
/** Labels tend adds to every series. */
export const RESERVED_LABELS: readonly string[] = ['app', 'instance', 'id']
const KINDS: readonly MetricKind[] = ['counter', 'gauge', 'histogram']
const AGGREGATES: readonly Aggregate[] = ['sum', 'max', 'min', 'avg', 'first']
export const MAX_METRICS_PER_PROCESS = 500
export const MAX_SERIES_PER_METRIC = 2000

export interface MetricProblem {
  readonly metric: string
  readonly reason: string
}

function isNumber(value: unknown): value is number {
  return typeof value === 'number' && !Number.isNaN(value)
}

function problemOfLabels(names: unknown, kind: MetricKind): string | null {
  if (!Array.isArray(names)) return 'labelNames is not an array'
  for (const name of names) {
    if (typeof name !== 'string' || !LABEL.test(name) || name.startsWith('__')) return `label name ${JSON.stringify(name)} is not valid`
    if (RESERVED_LABELS.includes(name)) return `label name "${name}" is tend's (app, instance and id are added to every series)`
    if (kind === 'histogram' && name === 'le') return 'label name "le" is reserved for histogram buckets'
  }
  if (new Set(names).size !== names.length) return 'a label name is given twice'
  return null
}

function cleanLabels(labels: unknown, names: readonly string[]): Record<string, string> | null {
  if (typeof labels !== 'object' || labels === null) return null
  const clean: Record<string, string> = {}
  for (const [key, value] of Object.entries(labels)) {
    if (!names.includes(key)) return null
    clean[key] = String(value)
  }
  return clean
}

/** The metric as tend keeps it, or the reason it is not kept. */
export function checkMetric(raw: unknown): { metric: MetricSnapshot } | { problem: MetricProblem } {
  const candidate = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>
  const name = typeof candidate.name === 'string' ? candidate.name : String(candidate.name)
  const fail = (reason: string) => ({ problem: { metric: name, reason } })
  if (typeof candidate.name !== 'string' || !NAME.test(name))
    return fail(`the name ${JSON.stringify(name)} is not a Prometheus metric name ([a-zA-Z_:][a-zA-Z0-9_:]*)`)
  if (name.startsWith('tend_')) return fail('names starting with tend_ are tend’s own')
  const kind = candidate.kind as MetricKind
  if (!KINDS.includes(kind)) return fail(`kind ${JSON.stringify(candidate.kind)} is not counter, gauge or histogram`)
  const aggregate = (candidate.aggregate ?? 'sum') as Aggregate
  if (!AGGREGATES.includes(aggregate)) return fail(`aggregate ${JSON.stringify(candidate.aggregate)} is not sum, max, min, avg or first`)
  if (kind !== 'gauge' && aggregate !== 'sum') return fail(`a ${kind} aggregates by sum only`)
  const labelProblem = problemOfLabels(candidate.labelNames ?? [], kind)
  if (labelProblem) return fail(labelProblem)
  const labelNames = (candidate.labelNames ?? []) as string[]
  if (!Array.isArray(candidate.series)) return fail('series is not an array')
  if (candidate.series.length > MAX_SERIES_PER_METRIC) return fail(`more than ${MAX_SERIES_PER_METRIC} label sets`)
  let buckets: number[] | undefined
  if (kind === 'histogram') {
    const given = candidate.buckets
    if (!Array.isArray(given) || !given.every((bound, index) => isNumber(bound) && (index === 0 || bound > (given[index - 1] as number)))) {
      return fail('buckets are not ascending numbers')
    }
    buckets = given as number[]
  }
  const series: (ValueSeries | HistogramSeries)[] = []
  for (const entry of candidate.series as Record<string, unknown>[]) {
    const labels = cleanLabels(entry?.labels, labelNames)
    if (!labels) return fail(`a series has labels other than ${JSON.stringify(labelNames)}`)
    if (kind === 'histogram') {
      const { counts, sum, count } = entry
      if (
        !Array.isArray(counts) ||
        counts.length !== buckets!.length + 1 ||
        !counts.every(isNumber) ||
        !isNumber(sum) ||
        !isNumber(count)
      ) {
        return fail('a histogram series does not match its buckets')
      }
      series.push({ labels, counts: counts, sum, count })
    } else {
      if (!isNumber(entry.value)) return fail('a series value is not a number')
      series.push({ labels, value: entry.value })
    }
  }
  const help = typeof candidate.help === 'string' && candidate.help !== '' ? candidate.help : name
  const source = candidate.source === 'pm2' ? 'pm2' : 'tend'
  const unit = typeof candidate.unit === 'string' ? { unit: candidate.unit } : {}
  return { metric: { name, help, kind, aggregate, labelNames, ...(buckets ? { buckets } : {}), series, source, ...unit } }
}
