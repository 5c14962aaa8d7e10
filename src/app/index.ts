/**
 * `tendjs/app`: inside an app that tend runs. Readiness, custom metrics
 * (aggregated across instances by the supervisor), actions and graceful
 * shutdown. No dependencies, no side effects at import, and safe in an app
 * that is not supervised: every call then works locally and sends nothing.
 *
 * @module tendjs/app
 */
import { sendToSupervisor, supervised } from './transport.js'

export { metrics, Counter, Gauge, Histogram } from './metrics.js'
export type { CounterOptions, GaugeOptions, HistogramOptions, EndTimer } from './metrics.js'
export { actions } from './actions.js'
export type { ActionContext, ActionHandler } from './actions.js'
export { onShutdown } from './shutdown.js'
export type { ShutdownCallback } from './shutdown.js'
export type { Aggregate, MetricKind, MetricSnapshot, ValueSeries, HistogramSeries } from './protocol.js'
export { supervised }

/** Tells the supervisor this process is ready (what `waitReady` waits for): `process.send('ready')`. */
export function ready(): void {
  sendToSupervisor('ready')
}
