/**
 * The messages `tendjs/app` and the supervisor exchange over the IPC
 * channel. Every one is an object whose `type` starts with `tend:`, so none
 * is mistaken for a user's message; the supervisor takes them off the
 * channel and never reports them as `process:message`.
 *
 * This module is shared by the child (src/app/) and the supervisor
 * (src/app-metrics/, src/actions/): types and pure guards only.
 */

/** How the app-level series of a metric combines the instances' values. */
export type Aggregate = 'sum' | 'max' | 'min' | 'avg' | 'first'

export type MetricKind = 'counter' | 'gauge' | 'histogram'

/** One label set of a counter or gauge and its value. */
export interface ValueSeries {
  readonly labels: Readonly<Record<string, string>>
  readonly value: number
}

/** One label set of a histogram: per-bucket counts (not cumulative; the last one is +Inf), sum and count. */
export interface HistogramSeries {
  readonly labels: Readonly<Record<string, string>>
  readonly counts: readonly number[]
  readonly sum: number
  readonly count: number
}

/** The whole of one metric in one process, as of the message. */
export interface MetricSnapshot {
  readonly name: string
  readonly help: string
  readonly kind: MetricKind
  readonly aggregate: Aggregate
  readonly labelNames: readonly string[]
  /** Histograms only: the upper bounds, ascending, without +Inf. */
  readonly buckets?: readonly number[]
  readonly series: readonly (ValueSeries | HistogramSeries)[]
  /** Where it came from: tendjs/app, or a @pm2/io / tx2 probe (whose unit, if any, is kept). */
  readonly source?: 'tend' | 'pm2'
  readonly unit?: string
}

/** Child → supervisor: every metric, at most once a second. */
export interface MetricsMessage {
  readonly type: 'tend:metrics'
  readonly metrics: readonly MetricSnapshot[]
}

/** Child → supervisor: the names of the actions registered so far (sent on each register). */
export interface ActionsMessage {
  readonly type: 'tend:actions'
  readonly names: readonly string[]
}

/** Supervisor → child: run an action. */
export interface ActionCall {
  readonly type: 'tend:action'
  readonly call: number
  readonly name: string
  readonly params: unknown
}

/** Supervisor → child: the caller gave up on a call (timeout); its handler's `signal` aborts. */
export interface ActionCancel {
  readonly type: 'tend:action-cancel'
  readonly call: number
}

/** Child → supervisor: how a call ended. */
export type ActionReply =
  | { readonly type: 'tend:action-result'; readonly call: number; readonly ok: true; readonly result?: unknown }
  | {
      readonly type: 'tend:action-result'
      readonly call: number
      readonly ok: false
      /** The child has no action of that name (it may have registered it after the supervisor looked). */
      readonly unknown?: true
      readonly error: { readonly name: string; readonly message: string }
    }

/** The environment variable that tells the SDK it runs under tend: the supervisor's pid. */
export const SUPERVISOR_PID_ENV = 'TEND_SUPERVISOR_PID'

export function isTendMessage(message: unknown): message is { readonly type: `tend:${string}` } {
  return (
    typeof message === 'object' &&
    message !== null &&
    typeof (message as { type?: unknown }).type === 'string' &&
    (message as { type: string }).type.startsWith('tend:')
  )
}
