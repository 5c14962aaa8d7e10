/**
 * The life of one managed process as two values checked together: its
 * status (what users see) and the one operation in flight (what the process
 * is doing about it). One table says which status may follow which, another
 * which operation each status may hold; both are checked on every change.
 */
import type { TendError } from '../errors.js'
import type { ExitReason, Status, SupervisorEvents } from '../types.js'
import type { Run } from './run.js'

/**
 * What a process has in flight:
 * - `none`: nothing; the status holds until an exit, a timer or a caller moves it;
 * - `launch`: a child is being spawned or is not ready yet (`launching`);
 * - `stop`: a two-phase stop of the running child (`stopping`); the one who asked decides what follows;
 * - `replace`: a replacement child is being started beside the running one (a reload); the status is
 *   the old child's, which may still crash meanwhile: the replacement decides at its end.
 */
export type OperationKind = 'none' | 'launch' | 'stop' | 'replace'

/** The operation in flight, as a value: its kind and what it needs. */
export type Operation = NoOperation | LaunchOperation | StopOperation | ReplaceOperation

export interface NoOperation {
  readonly kind: 'none'
}
export interface LaunchOperation {
  readonly kind: 'launch'
  /** The run once spawned, or null when the spawn failed. */
  readonly spawned: Promise<Run | null>
}
export interface StopOperation {
  readonly kind: 'stop'
  readonly reason: ExitReason
  /** Resolves once the child is gone (or there was none). */
  readonly done: Promise<void>
}
export interface ReplaceOperation {
  readonly kind: 'replace'
  /** Set when a restart the old child's crash scheduled came due during the replacement. */
  restartDue: boolean
}

export const NONE: NoOperation = Object.freeze({ kind: 'none' })

const NEXT: Readonly<Record<Status, readonly Status[]>> = {
  stopped: ['launching'],
  launching: ['online', 'stopping', 'waiting-restart', 'errored', 'stopped'],
  // online → online: a replacement took over (reload), announced again with its pid
  online: ['online', 'stopping', 'waiting-restart', 'errored', 'stopped'],
  stopping: ['stopped', 'errored', 'launching'],
  'waiting-restart': ['launching', 'stopped'],
  errored: ['launching', 'stopped'],
}

const HOLDS: Readonly<Record<Status, readonly OperationKind[]>> = {
  stopped: ['none', 'replace'],
  launching: ['launch'],
  online: ['none', 'replace'],
  stopping: ['stop'],
  'waiting-restart': ['none', 'replace'],
  errored: ['none', 'replace'],
}

export function canTransition(from: Status, to: Status): boolean {
  return NEXT[from].includes(to)
}

/** True when a process in `status` may have `operation` in flight. */
export function canHold(status: Status, operation: OperationKind): boolean {
  return HOLDS[status].includes(operation)
}

/** True while the process has (or is getting) an OS process. */
export function isRunning(status: Status): boolean {
  return status === 'launching' || status === 'online' || status === 'stopping'
}

/** What each status is announced with; launching and stopping are announced by what follows (process:spawn, process:exit). */
export interface Announcements {
  launching: []
  stopping: []
  online: []
  stopped: []
  errored: [{ readonly error: TendError }]
  'waiting-restart': [{ readonly delay: number; readonly attempt: number; readonly reason: ExitReason }]
}

export const EVENT_OF = {
  launching: null,
  stopping: null,
  online: 'process:online',
  stopped: 'process:stopped',
  errored: 'process:errored',
  'waiting-restart': 'process:restart',
} as const satisfies Record<Status, keyof SupervisorEvents | null>
