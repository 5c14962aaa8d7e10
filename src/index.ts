/**
 * `tend`: an embeddable process supervisor. Create a {@link Supervisor},
 * start apps in fork or cluster mode, and follow them through typed events.
 *
 * @module tend
 */
export { Supervisor } from './supervisor.js'
export type { LogsOptions, ProcessEnvironment, UpdateEnvOptions, WaitForOptions } from './supervisor.js'
export type { AppDiff, AppliedApp, ApplyAction, ApplyOptions, KeyChange } from './apply/apply.js'
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
  ListenError,
  ERROR_CODES,
} from './errors.js'
export type { ErrorCode, PortHolder } from './errors.js'
export type * from './types.js'
export type {
  ProcessMetrics,
  InvokeOptions,
  ActionOutcome,
  OutcomeOf,
  MetricSnapshot,
  Aggregate,
  MetricKind,
  ValueSeries,
  HistogramSeries,
} from './app-metrics/types.js'
