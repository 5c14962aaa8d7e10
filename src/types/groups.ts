/** Supervision groups: their declaration, normalized form and report (see src/groups/). */
import type { Duration } from '../types.js'

/**
 * What a group restarts when one of its members exits unexpectedly (Erlang/OTP's strategies): every member
 * (`one_for_all`), the failed member's app and the members after it (`rest_for_one`), or the failed process
 * alone, by its own restart policy (`one_for_one`).
 */
export type GroupStrategy = 'one_for_all' | 'rest_for_one' | 'one_for_one'

/** A supervision group: its strategy and its intensity (more than `maxRestarts` restarts within `period` gives up). */
export interface GroupSpec {
  /** @default 'one_for_all' */
  readonly strategy?: GroupStrategy
  /** Restarts of the group (crashes of its members) allowed within `period`; one more gives up. @default 5 */
  readonly maxRestarts?: number
  /** The sliding window `maxRestarts` counts in. @default '60s' */
  readonly period?: Duration
}

/** A group after validation: every field present, `period` in ms. */
export interface NormalizedGroup {
  readonly name: string
  readonly strategy: GroupStrategy
  readonly maxRestarts: number
  readonly period: number
}

/** A group as `groups()` reports it. */
export interface GroupInfo extends NormalizedGroup {
  /** Its member apps, in the order the strategy goes by (dependency order, then start order). */
  readonly apps: readonly string[]
  /** Restarts counted within the last `period`. */
  readonly recentRestarts: number
  /** `restarting` while a group restart is in flight; `errored` after it gave up, until a member starts again. */
  readonly status: 'running' | 'restarting' | 'errored'
}
