/** The status union's allowed transitions: one table, checked on every change. */
import type { Status } from '../types.js'

const ALLOWED: Readonly<Record<Status, readonly Status[]>> = {
  stopped: ['launching'],
  launching: ['online', 'stopping', 'waiting-restart', 'errored', 'stopped'],
  online: ['stopping', 'waiting-restart', 'errored', 'stopped'],
  stopping: ['stopped', 'errored', 'launching'],
  'waiting-restart': ['launching', 'stopped'],
  errored: ['launching', 'stopped'],
}

export function canTransition(from: Status, to: Status): boolean {
  return ALLOWED[from].includes(to)
}

/** True while the process has (or is getting) an OS process. */
export function isRunning(status: Status): boolean {
  return status === 'launching' || status === 'online' || status === 'stopping'
}
