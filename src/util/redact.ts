/** Hides secret-looking env values in what tend shows (list, describe, events). */
import type { NormalizedSpec } from '../types.js'

const SECRET_KEY = /(secret|token|passw(or)?d|pwd|api[-_]?key|private[-_]?key|credential|auth|cookie|session[-_]?key|access[-_]?key|dsn)/i

export const REDACTED = '[redacted]'

export function isSecretKey(key: string): boolean {
  return SECRET_KEY.test(key)
}

export function redactSpec(spec: NormalizedSpec): NormalizedSpec {
  const env: Record<string, string> = {}
  let changed = false
  for (const [key, value] of Object.entries(spec.env)) {
    if (isSecretKey(key)) {
      env[key] = REDACTED
      changed = true
    } else env[key] = value
  }
  if (!changed) return spec
  return Object.freeze({ ...spec, env: Object.freeze(env) })
}
