/**
 * The restart decision as a pure function of (exit, history, policy): no
 * timers, no processes. The process manager carries out what it returns.
 */

export interface ExitFacts {
  readonly code: number | null
  readonly signal: NodeJS.Signals | null
  /** ms the process ran before this exit. */
  readonly uptime: number
}

export interface RestartHistory {
  /** Consecutive exits, each within `minUptime` of its start, that were restarted. */
  readonly unstableRestarts: number
  /** The restart attempt number of the last restart (0 when none yet). */
  readonly attempt: number
}

export interface RestartPolicy {
  readonly autorestart: boolean
  readonly stopExitCodes: readonly number[]
  readonly minUptime: number
  readonly maxRestarts: number
  readonly restartDelay: number
}

export type ExitKind = 'crash' | 'exit'

export type Decision =
  | {
      readonly action: 'restart'
      readonly reason: ExitKind
      readonly delay: number
      readonly unstable: boolean
      readonly history: RestartHistory
    }
  | { readonly action: 'stop'; readonly reason: ExitKind; readonly history: RestartHistory }
  | { readonly action: 'give-up'; readonly reason: ExitKind; readonly history: RestartHistory }

export const EMPTY_HISTORY: RestartHistory = Object.freeze({ unstableRestarts: 0, attempt: 0 })

/** An exit not asked for: `exit` when its code is 0 or listed in `stopExitCodes`, else `crash`. */
export function classifyExit(exit: ExitFacts, policy: Pick<RestartPolicy, 'stopExitCodes'>): ExitKind {
  if (exit.signal === null && exit.code !== null && (exit.code === 0 || policy.stopExitCodes.includes(exit.code))) return 'exit'
  return 'crash'
}

/** What to do after an exit nobody asked for. */
export function decide(exit: ExitFacts, history: RestartHistory, policy: RestartPolicy): Decision {
  const reason = classifyExit(exit, policy)
  const stoppedByCode = exit.signal === null && exit.code !== null && policy.stopExitCodes.includes(exit.code)
  if (!policy.autorestart || stoppedByCode) return { action: 'stop', reason, history }

  const unstable = exit.uptime < policy.minUptime
  if (!unstable) {
    return { action: 'restart', reason, delay: policy.restartDelay, unstable, history: { unstableRestarts: 0, attempt: 1 } }
  }
  if (history.unstableRestarts >= policy.maxRestarts) return { action: 'give-up', reason, history }
  return {
    action: 'restart',
    reason,
    delay: policy.restartDelay,
    unstable,
    history: { unstableRestarts: history.unstableRestarts + 1, attempt: history.attempt + 1 },
  }
}
