/**
 * Normalization of the restart-policy and trigger options (`backoff`,
 * `maxMemoryRestart`, `cronRestart`, `watch`, `ignoreWatch`, `watchDelay`).
 * Called from normalizeSpec, which owns the defaults and the error template.
 */
import { Cron } from 'croner'
import { isAbsolute, resolve } from 'node:path'
import { DEFAULT_BACKOFF } from '../restart/backoff.js'
import type { Backoff } from '../types.js'
import { parseDuration, parseSize } from './units.js'

/** Reports an invalid option: names it, says what was expected and shows what was given. */
export type Fail = (option: string, expected: string, value: unknown) => never

const BACKOFF_KEYS = Object.keys(DEFAULT_BACKOFF)
const DURATION = "a duration (ms as a number, or a string like '500ms', '2s', '1m')"

export function normalizeBackoff(value: unknown, fail: Fail): Backoff | false {
  if (value === false || value === undefined) return false
  if (value === true) return DEFAULT_BACKOFF
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return fail('backoff', `false, true or an object with ${BACKOFF_KEYS.join(', ')}`, value)
  }
  const input = value as Record<string, unknown>
  for (const key of Object.keys(input)) {
    if (!BACKOFF_KEYS.includes(key)) fail(`backoff.${key}`, `one of ${BACKOFF_KEYS.join(', ')} as the key`, key)
  }
  const duration = (key: 'initialDelay' | 'maxDelay' | 'resetAfter'): number => {
    if (input[key] === undefined) return DEFAULT_BACKOFF[key]
    return parseDuration(input[key]) ?? fail(`backoff.${key}`, DURATION, input[key])
  }
  const factor = input.factor ?? DEFAULT_BACKOFF.factor
  if (typeof factor !== 'number' || !Number.isFinite(factor) || factor < 1) fail('backoff.factor', 'a number ≥ 1', factor)
  const jitter = input.jitter ?? DEFAULT_BACKOFF.jitter
  if (typeof jitter !== 'boolean') fail('backoff.jitter', 'true or false', jitter)
  const backoff = {
    initialDelay: duration('initialDelay'),
    factor,
    maxDelay: duration('maxDelay'),
    resetAfter: duration('resetAfter'),
    jitter,
  }
  if (backoff.maxDelay < backoff.initialDelay)
    fail('backoff.maxDelay', `at least initialDelay (${backoff.initialDelay} ms)`, input.maxDelay)
  return Object.freeze(backoff)
}

export function normalizeMaxMemory(value: unknown, fail: Fail): number | null {
  if (value === undefined || value === null) return null
  const bytes = parseSize(value)
  if (bytes === undefined || bytes <= 0)
    return fail('maxMemoryRestart', "a size above 0 (bytes as a number, or a string like '200M', '1G')", value)
  return bytes
}

export function normalizeCron(value: unknown, fail: Fail): string | null {
  if (value === undefined || value === null) return null
  const expected = "a cron expression such as '0 3 * * *' (5 fields, or 6 with seconds first)"
  if (typeof value !== 'string' || value.trim() === '') return fail('cronRestart', expected, value)
  try {
    new Cron(value, { paused: true }).stop()
  } catch (error) {
    return fail('cronRestart', `${expected} (${error instanceof Error ? error.message : String(error)})`, value)
  }
  return value.trim()
}

/** `true` → [cwd]; a path or paths → absolute paths under cwd; false → false. */
export function normalizeWatch(value: unknown, cwd: string, fail: Fail): readonly string[] | false {
  if (value === undefined || value === false) return false
  if (value === true) return [cwd]
  const list = typeof value === 'string' ? [value] : value
  if (!Array.isArray(list) || list.length === 0 || !list.every((item) => typeof item === 'string' && item.trim() !== '')) {
    return fail('watch', 'true, false, a path or a non-empty array of paths (relative to cwd)', value)
  }
  return (list as string[]).map((path) => (isAbsolute(path) ? path : resolve(cwd, path)))
}

export function normalizeIgnoreWatch(value: unknown, fail: Fail): readonly string[] {
  if (value === undefined) return []
  const list = typeof value === 'string' ? [value] : value
  if (!Array.isArray(list) || !list.every((item) => typeof item === 'string' && item.trim() !== '')) {
    return fail('ignoreWatch', 'a path or glob, or an array of them (relative to cwd)', value)
  }
  return [...(list as string[])]
}

export function normalizeWatchDelay(value: unknown, fail: Fail): number {
  if (value === undefined) return 1000
  return parseDuration(value) ?? fail('watchDelay', DURATION, value)
}
