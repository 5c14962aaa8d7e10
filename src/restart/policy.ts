/**
 * The restart decision as a pure function of (exit, history, policy): no
 * timers, no processes. The process manager carries out what it returns.
 * docs/restart-policy.md describes the algorithm.
 */
import { backoffDelay, type BackoffOptions } from './backoff.js'

export interface ExitFacts {
  readonly code: number | null
  readonly signal: NodeJS.Signals | null
  /** ms the process ran before this exit. */
  readonly uptime: number
}

export interface RestartHistory {
  /** Consecutive exits, each within `minUptime` of its start, that were restarted. */
  readonly unstableRestarts: number
  /** The restart attempt number of the last restart (0 when none yet); drives the backoff. */
  readonly attempt: number
}

export interface RestartPolicy {
  readonly autorestart: boolean
  readonly stopExitCodes: readonly number[]
  readonly minUptime: number
  readonly maxRestarts: number
  readonly restartDelay: number
  /** Exponential backoff, or false for the fixed `restartDelay`. */
  readonly backoff: BackoffOptions | false
}

export type ExitKind = 'crash' | 'exit'

export type Decision =
  | {
      readonly action: 'restart'
      readonly reason: ExitKind
      /** ms to wait before the new start. */
      readonly delay: number
      /** The run ended within `minUptime` of its start. */
      readonly unstable: boolean
      /** `history.attempt` is this restart's attempt number. */
      readonly history: RestartHistory
    }
  | {
      readonly action: 'stop'
      readonly reason: ExitKind
      /** Why not restarted, for people. */
      readonly detail: string
      readonly history: RestartHistory
    }
  | {
      readonly action: 'give-up'
      readonly reason: ExitKind
      /** The error code the process ends `errored` with. */
      readonly code: 'TEND_ERR_CRASH_LOOP'
      /** Why given up, for people. */
      readonly detail: string
      readonly history: RestartHistory
    }

export const EMPTY_HISTORY: RestartHistory = Object.freeze({ unstableRestarts: 0, attempt: 0 })

/** An exit not asked for: `exit` when its code is 0 or listed in `stopExitCodes`, else `crash`. */
export function classifyExit(exit: ExitFacts, policy: Pick<RestartPolicy, 'stopExitCodes'>): ExitKind {
  if (exit.signal === null && exit.code !== null && (exit.code === 0 || policy.stopExitCodes.includes(exit.code))) return 'exit'
  return 'crash'
}

/**
 * The history after a run that ended because it was asked to (a trigger such
 * as `memory`, `cron` or `watch`): not an exit to count, but a long enough run
 * still ends a crash loop and resets the backoff, as it would on a crash.
 */
export function historyAfterRequestedRestart(history: RestartHistory, uptime: number, policy: RestartPolicy): RestartHistory {
  const unstableRestarts = uptime >= policy.minUptime ? 0 : history.unstableRestarts
  const attempt = attemptsReset(uptime, policy) ? 0 : history.attempt
  if (unstableRestarts === history.unstableRestarts && attempt === history.attempt) return history
  return { unstableRestarts, attempt }
}

/** With backoff the attempt count starts again after `resetAfter` ms of uptime; without, after any stable run. */
function attemptsReset(uptime: number, policy: RestartPolicy): boolean {
  return policy.backoff ? uptime >= policy.backoff.resetAfter : uptime >= policy.minUptime
}

/**
 * What to do after an exit nobody asked for. `random` feeds the backoff's
 * jitter; give a fixed one to make the decision reproducible.
 */
export function decide(exit: ExitFacts, history: RestartHistory, policy: RestartPolicy, random: () => number = Math.random): Decision {
  const reason = classifyExit(exit, policy)
  if (!policy.autorestart) return { action: 'stop', reason, detail: 'autorestart is false', history }
  if (exit.signal === null && exit.code !== null && policy.stopExitCodes.includes(exit.code)) {
    return { action: 'stop', reason, detail: `exit code ${exit.code} is in stopExitCodes`, history }
  }

  const unstable = exit.uptime < policy.minUptime
  if (unstable && history.unstableRestarts >= policy.maxRestarts) {
    return {
      action: 'give-up',
      reason,
      code: 'TEND_ERR_CRASH_LOOP',
      detail:
        `exited ${history.unstableRestarts + 1} times in a row within minUptime (${policy.minUptime} ms) of starting; ` +
        `maxRestarts is ${policy.maxRestarts}`,
      history,
    }
  }
  const attempt = (attemptsReset(exit.uptime, policy) ? 0 : history.attempt) + 1
  const delay = policy.backoff ? backoffDelay(attempt, policy.backoff, random) : policy.restartDelay
  return {
    action: 'restart',
    reason,
    delay,
    unstable,
    history: { unstableRestarts: unstable ? history.unstableRestarts + 1 : 0, attempt },
  }
}
