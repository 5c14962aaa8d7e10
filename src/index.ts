/**
 * `tend`: an embeddable process supervisor. Create a {@link Supervisor},
 * start apps in fork or cluster mode, and follow them through typed events.
 *
 * @module tend
 */
export { Supervisor } from './supervisor.js'
export type { LogsOptions, WaitForOptions } from './supervisor.js'
export {
  TendError,
  InvalidSpecError,
  InvalidArgumentError,
  NotFoundError,
  ExistsError,
  SpawnError,
  ReadyTimeoutError,
  DependencyError,
  CrashLoopError,
  ExitedError,
  NoIpcError,
  ClosedError,
  LogFileError,
  ActionUnknownError,
  ActionTimeoutError,
  ActionFailedError,
  ERROR_CODES,
} from './errors.js'
export type { ErrorCode } from './errors.js'
export type * from './types.js'
export type {
  ProcessMetrics,
  InvokeOptions,
  ActionOutcome,
  MetricSnapshot,
  Aggregate,
  MetricKind,
  ValueSeries,
  HistogramSeries,
} from './app-metrics/types.js'
