/** The Supervisor's events and their payloads. */
import type { CrashLoopError, TendError } from '../errors.js'
import type { ExitReason, ProcessInfo } from '../types.js'
import type { GroupStrategy } from './groups.js'
import type { ProcessHealth } from './probes.js'

export interface ProcessEvent {
  readonly process: ProcessInfo
  readonly at: number
}

export interface ProcessExitEvent extends ProcessEvent {
  readonly code: number | null
  readonly signal: NodeJS.Signals | null
  readonly reason: ExitReason
  /** True when the graceful stop did not end the process within `killTimeout`, so SIGKILL had to follow. */
  readonly forced: boolean
}

export interface ProcessRestartEvent extends ProcessEvent {
  /** ms until the new start; 0 when its supervision group restarts it (it starts as part of the group's restart). */
  readonly delay: number
  /** 1 for the first restart after a stable run, growing while it keeps crashing. */
  readonly attempt: number
  readonly reason: ExitReason
}

export interface ProcessErroredEvent extends ProcessEvent {
  /** Why it was given up: a CrashLoopError, SpawnError, ReadyTimeoutError… (over RPC, rebuilt as the same class). */
  readonly error: TendError
}

export interface ProcessMessageEvent extends ProcessEvent {
  readonly message: unknown
}

export interface ProcessExceptionEvent extends ProcessEvent {
  readonly error: { readonly name: string; readonly message: string; readonly stack?: string }
}

export interface ProcessWarningEvent extends ProcessEvent {
  readonly code: 'not-confirmed-ready'
  readonly message: string
}

export interface ProcessHealthEvent extends ProcessEvent {
  readonly health: ProcessHealth
}

/** A custom metric a process reported was dropped (a bad name or labels, or at odds with another process's). */
export interface ProcessMetricInvalidEvent extends ProcessEvent {
  /** The metric's name as the app gave it. */
  readonly metric: string
  readonly reason: string
}

/** A group strategy restarted apps after a member exited unexpectedly. */
export interface GroupRestartEvent {
  readonly group: string
  readonly strategy: GroupStrategy
  /** The process whose exit set it off, as it was at its exit (`pid`: the pid that exited). */
  readonly trigger: ProcessInfo
  /** Why it exited: `crash` or `unhealthy`. */
  readonly reason: ExitReason
  /** The apps restarted, in the order they start again. */
  readonly apps: readonly string[]
  readonly at: number
}

/** A group had more than `maxRestarts` restarts within `period` and gave up: its members are stopped. */
export interface GroupErroredEvent {
  readonly group: string
  /** Carries the group's name in `group`. */
  readonly error: CrashLoopError
  readonly at: number
}

export interface LogEvent {
  readonly process: ProcessInfo
  readonly line: string
  readonly at: number
}

export interface LogFileErrorEvent {
  readonly app: string
  readonly path: string
  readonly error: { readonly message: string; readonly code?: string }
  readonly at: number
}

export interface MetricsEvent {
  readonly at: number
  readonly processes: readonly { readonly id: number; readonly pid: number; readonly cpu: number; readonly memory: number }[]
}

/** Every event, by name. The same names and payloads go out on `sup.bus`. */
export interface SupervisorEvents {
  'process:spawn': (event: ProcessEvent) => void
  'process:online': (event: ProcessEvent) => void
  'process:exit': (event: ProcessExitEvent) => void
  'process:restart': (event: ProcessRestartEvent) => void
  'process:errored': (event: ProcessErroredEvent) => void
  'process:stopped': (event: ProcessEvent) => void
  'process:message': (event: ProcessMessageEvent) => void
  'process:exception': (event: ProcessExceptionEvent) => void
  /**
   * Something about a process worth a look that is no failure. `code`
   * `'not-confirmed-ready'`: it went online because `listenTimeout` ran out
   * before its readiness signal (docs/readiness.md).
   */
  'process:warning': (event: ProcessWarningEvent) => void
  /** The health status or readiness of a process with probes changed. */
  'process:health': (event: ProcessHealthEvent) => void
  /** Once per process run and metric name: the metric is left out of metrics() and prometheus(). */
  'process:metric-invalid': (event: ProcessMetricInvalidEvent) => void
  'log:out': (event: LogEvent) => void
  'log:err': (event: LogEvent) => void
  metrics: (event: MetricsEvent) => void
  /**
   * A log file stopped taking writes (disk full, its directory removed or made
   * read-only). The process keeps running and its lines stay in memory; the
   * file is reopened at the next write, and a new failure is reported again
   * only after a write has succeeded.
   */
  'logfile:error': (event: LogFileErrorEvent) => void
  /** A group's strategy restarted apps of the group (`one_for_all`, `rest_for_one`). */
  'group:restart': (event: GroupRestartEvent) => void
  /** A group gave up (its intensity was exceeded, or it could not be brought back); its members are stopped. */
  'group:errored': (event: GroupErroredEvent) => void
}

export type EventName = keyof SupervisorEvents
