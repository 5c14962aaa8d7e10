/** What `sup.metrics()` and `sup.invoke()` return. */
import type { MetricSnapshot } from '../app/protocol.js'

export type { Aggregate, MetricKind, MetricSnapshot, ValueSeries, HistogramSeries } from '../app/protocol.js'

/** The custom metrics and actions of one process, as it last reported them. */
export interface ProcessMetrics {
  readonly id: number
  readonly name: string
  readonly instance: number
  /** Its metrics from tendjs/app and from @pm2/io / tx2 probes (as gauges); empty when it reported none. */
  readonly metrics: readonly MetricSnapshot[]
  /** The actions it registered. */
  readonly actions: readonly string[]
  /** When its last report arrived (ms since the epoch), or null. */
  readonly reportedAt: number | null
}

export interface InvokeOptions {
  /** How long to wait for each process's answer, in ms. @default 10000 */
  readonly timeout?: number
  readonly signal?: AbortSignal
}

/** Which process an action outcome is from. */
export interface OutcomeOf {
  readonly id: number
  readonly name: string
  readonly instance: number
}

/**
 * One process's answer to `invoke()`, in the shape of `Promise.allSettled`:
 * `value` is what the action returned; `reason` is an ActionUnknownError,
 * ActionTimeoutError or ActionFailedError (over RPC: the same fields as a
 * plain object, `code` first among them).
 */
export type ActionOutcome =
  | (OutcomeOf & { readonly status: 'fulfilled'; readonly value: unknown })
  | (OutcomeOf & {
      readonly status: 'rejected'
      readonly reason: { readonly code: string; readonly message: string; readonly action: string; readonly name: string }
    })
