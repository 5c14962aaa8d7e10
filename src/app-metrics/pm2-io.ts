/**
 * What apps instrumented with @pm2/io or tx2 send PM2, read as tend's own
 * metrics and actions, so they run unchanged:
 * - `{ type: 'axm:monitor', data: { [name]: { value, unit?, type?, agg_type? } } }`
 *   about once a second, every probe's current value (counters, meters,
 *   histograms and `io.metric`s are all already computed values): gauges;
 * - `{ type: 'axm:action', data: { action_name } }` when an action is registered;
 * - `{ type: 'axm:reply', data: { action_name, return } }` when one answers a
 *   call, which PM2 makes by sending `{ msg: action_name, opts: params }`.
 * The message shapes were read from the two packages (Apache-2.0 / MIT).
 */
import type { Aggregate, MetricSnapshot } from '../app/protocol.js'

export function isPm2Message(message: unknown): message is { type: string; data?: unknown } {
  const type = (message as { type?: unknown } | null)?.type
  return typeof type === 'string' && type.startsWith('axm:')
}

/** A probe's display name ("Heap Size", "Realtime user") as a Prometheus name: heap_size, realtime_user. */
export function pm2MetricName(name: string): string {
  const base = name
    .toLowerCase()
    .replace(/[^a-z0-9_]+/g, '_')
    .replace(/^_+|_+$/g, '')
  return /^[a-z_]/.test(base) ? base : `_${base}`
}

const PM2_AGGREGATES: Record<string, Aggregate> = { sum: 'sum', max: 'max', min: 'min', avg: 'avg', none: 'first' }

/** The numeric probes of one axm:monitor message as gauges (strings have no Prometheus form and are left out). */
export function fromMonitor(data: unknown): MetricSnapshot[] {
  if (typeof data !== 'object' || data === null) return []
  const metrics: MetricSnapshot[] = []
  for (const [display, probe] of Object.entries(data as Record<string, unknown>)) {
    const { value, unit, agg_type: aggType } = (probe ?? {}) as { value?: unknown; unit?: unknown; agg_type?: unknown }
    const number = typeof value === 'boolean' ? Number(value) : typeof value === 'string' && value.trim() !== '' ? Number(value) : value
    if (typeof number !== 'number' || !Number.isFinite(number)) continue
    const name = pm2MetricName(display)
    if (name === '_' || name.startsWith('tend_')) continue
    metrics.push({
      name,
      help: typeof unit === 'string' && unit !== '' ? `${display} (${unit})` : display,
      kind: 'gauge',
      // PM2 averages across instances unless the probe says otherwise
      aggregate: (typeof aggType === 'string' && PM2_AGGREGATES[aggType]) || 'avg',
      labelNames: [],
      series: [{ labels: {}, value: number }],
      source: 'pm2',
      ...(typeof unit === 'string' && unit !== '' ? { unit } : {}),
    })
  }
  return metrics
}

export function pm2ActionName(data: unknown): string | null {
  const name = (data as { action_name?: unknown } | null)?.action_name
  return typeof name === 'string' && name !== '' ? name : null
}
