/**
 * What differs between an app as it runs and as a file declares it: pure,
 * on normalized specs, with env values redacted as tend shows them anywhere.
 */
import type { NormalizedSpec } from '../types.js'
import { redactValue } from '../util/redact.js'

/** One spec key whose value differs (values as tend shows them: env secrets redacted). */
export interface KeyChange {
  readonly key: string
  readonly from: unknown
  readonly to: unknown
}

/** How an app's declaration compares with the app as it runs. */
export interface AppDiff {
  /** `added`: not running yet; `removed`: runs but the desired state lacks it; `changed`; `unchanged`. */
  readonly change: 'added' | 'removed' | 'changed' | 'unchanged'
  /** Spec keys (other than `env` and `instances`) whose value differs. */
  readonly keys: readonly KeyChange[]
  /** The number of instances, when it differs. */
  readonly instances: { readonly from: number; readonly to: number } | null
  /** Env keys the app gains, loses, or sees with another value (values redacted). */
  readonly env: {
    readonly added: readonly string[]
    readonly removed: readonly string[]
    readonly changed: readonly KeyChange[]
  }
}

/** Keys that say nothing about how the app runs (`name` is the app's identity, `instances` is compared apart). */
const NOT_COMPARED = new Set(['name', 'instances', 'env'])

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b)
}

const NO_ENV_CHANGE = { added: [], removed: [], changed: [] } as const

/** The difference between the running spec and the desired one; either may be missing. */
export function diffSpecs(running: NormalizedSpec | undefined, desired: NormalizedSpec | undefined): AppDiff {
  if (!running && !desired) throw new Error('tend internal error: diffSpecs needs at least one spec')
  if (!running) return { change: 'added', keys: [], instances: null, env: NO_ENV_CHANGE }
  if (!desired) return { change: 'removed', keys: [], instances: null, env: NO_ENV_CHANGE }
  const keys: KeyChange[] = []
  for (const key of Object.keys(desired) as (keyof NormalizedSpec)[]) {
    if (NOT_COMPARED.has(key) || same(running[key], desired[key])) continue
    keys.push({ key, from: running[key], to: desired[key] })
  }
  const before = running.env
  const after = desired.env
  const env = {
    added: Object.keys(after)
      .filter((key) => !Object.hasOwn(before, key))
      .sort(),
    removed: Object.keys(before)
      .filter((key) => !Object.hasOwn(after, key))
      .sort(),
    changed: Object.keys(after)
      .filter((key) => Object.hasOwn(before, key) && before[key] !== after[key])
      .sort()
      .map((key) => ({ key, from: redactValue(key, before[key]!), to: redactValue(key, after[key]!) })),
  }
  const instances = running.instances === desired.instances ? null : { from: running.instances, to: desired.instances }
  const envChanged = env.added.length + env.removed.length + env.changed.length > 0
  const change = keys.length > 0 || envChanged || instances !== null ? 'changed' : 'unchanged'
  return { change, keys, instances, env }
}

/** True when the change needs new processes (anything but the number of instances). */
export function needsNewProcesses(diff: AppDiff): boolean {
  return diff.keys.length > 0 || diff.env.added.length + diff.env.removed.length + diff.env.changed.length > 0
}
