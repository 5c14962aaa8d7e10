/**
 * A group's intensity as a pure function (OTP's restart intensity): the
 * restarts within the last `period` ms, and whether one more exceeds
 * `maxRestarts`. No timers: the window is the times of the restarts.
 */
import type { NormalizedGroup } from '../types.js'

export interface IntensityCount {
  /** The restart times still inside the window, this one included, oldest first. */
  readonly window: readonly number[]
  /** More than `maxRestarts` restarts within `period`: the group gives up. */
  readonly exceeded: boolean
}

/** Counts a restart at `at` into `window` (times in ms, oldest first). */
export function countRestart(
  window: readonly number[],
  at: number,
  group: Pick<NormalizedGroup, 'maxRestarts' | 'period'>,
): IntensityCount {
  const kept = [...recentRestarts(window, at, group.period), at]
  return { window: kept, exceeded: kept.length > group.maxRestarts }
}

/** The restarts of `window` that fall within the last `period` ms before `at`. */
export function recentRestarts(window: readonly number[], at: number, period: number): number[] {
  return window.filter((time) => at - time < period)
}
