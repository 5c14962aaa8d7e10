/**
 * Exponential backoff for restarts, with p-retry's formula.
 *
 * p-retry (a dependency of tend) does not export its delay computation, and its
 * retry loop owns the attempt counter and the timer, which a supervisor cannot
 * hand over: the count must reset after `resetAfter` ms of uptime, a stop must
 * cancel the wait, and `process:restart` must announce the delay before the
 * wait begins. So the formula is kept here, identical to p-retry 7's
 * `calculateDelay` (minTimeout = initialDelay, maxTimeout = maxDelay,
 * randomize = jitter), and test/restart/backoff.test.ts runs p-retry's own
 * retry loop under fake timers to prove the two agree.
 */

import type { Backoff } from '../types.js'

/**
 * `initialDelay` is p-retry's `minTimeout`, `factor` its `factor`, `maxDelay`
 * its `maxTimeout`, `jitter` its `randomize`; `resetAfter` is ours.
 */
export type BackoffOptions = Backoff

export const DEFAULT_BACKOFF: BackoffOptions = Object.freeze({
  initialDelay: 100,
  factor: 1.5,
  maxDelay: 15_000,
  resetAfter: 30_000,
  jitter: false,
})

/**
 * The delay before restart `attempt` (1-based): `initialDelay * factor^(attempt-1)`,
 * times a random factor in [1, 2) when `jitter`, rounded, capped at `maxDelay`.
 * `random` is injectable so the policy stays a pure function in tests.
 */
export function backoffDelay(attempt: number, options: BackoffOptions, random: () => number = Math.random): number {
  const n = Math.max(1, attempt)
  const factor = options.factor > 0 ? options.factor : 1
  const spread = options.jitter ? random() + 1 : 1
  const delay = Math.round(spread * options.initialDelay * factor ** (n - 1))
  return Math.min(delay, options.maxDelay)
}
