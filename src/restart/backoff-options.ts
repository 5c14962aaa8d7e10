/** The `backoff` option of a spec: false, true (every default) or a partial object. */
import type { SpecFields } from '../config/spec-fields.js'
import type { Backoff } from '../types.js'
import { DEFAULT_BACKOFF } from './backoff.js'

const BACKOFF_KEYS = Object.keys(DEFAULT_BACKOFF)

export function normalizeBackoff(fields: SpecFields): Backoff | false {
  const value = fields.get('backoff')
  if (value === false || value === undefined) return false
  if (value === true) return DEFAULT_BACKOFF
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return fields.fail('backoff', `false, true or an object with ${BACKOFF_KEYS.join(', ')}`, value)
  }
  const input = value as Record<string, unknown>
  fields.rejectUnknownKeys('backoff', input, BACKOFF_KEYS)
  const factor = input.factor ?? DEFAULT_BACKOFF.factor
  if (typeof factor !== 'number' || !Number.isFinite(factor) || factor < 1) fields.fail('backoff.factor', 'a number ≥ 1', factor)
  const backoff = {
    initialDelay: fields.duration('backoff.initialDelay', input.initialDelay ?? DEFAULT_BACKOFF.initialDelay),
    factor,
    maxDelay: fields.duration('backoff.maxDelay', input.maxDelay ?? DEFAULT_BACKOFF.maxDelay),
    resetAfter: fields.duration('backoff.resetAfter', input.resetAfter ?? DEFAULT_BACKOFF.resetAfter),
    jitter: fields.boolean('backoff.jitter', input.jitter ?? DEFAULT_BACKOFF.jitter),
  }
  if (backoff.maxDelay < backoff.initialDelay) {
    fields.fail('backoff.maxDelay', `at least initialDelay (${backoff.initialDelay} ms)`, input.maxDelay)
  }
  return Object.freeze(backoff)
}
