/** Hides secret-looking env values in what tend shows (list, describe, events). */
import type { NormalizedSpec } from '../types.js'

const SECRET_KEY =
  /(secret|token|passw(or)?d|passphrase|pwd|api[-_]?key|private[-_]?key|credential|auth|cookie|session[-_]?key|access[-_]?key|dsn|jwt|bearer|(^|[-_])(key|pat)$)/i
/** The password of a URL with credentials (`postgres://user:password@host/db`). */
const URL_PASSWORD = /^([a-z][a-z0-9+.-]*:\/\/[^/\s:@]*:)([^@\s]+)(@)/i

export const REDACTED = '[redacted]'

/** Names that match SECRET_KEY but are no secret: the shell's working directories. */
const NOT_SECRET = new Set(['PWD', 'OLDPWD'])

export function isSecretKey(key: string): boolean {
  return !NOT_SECRET.has(key) && SECRET_KEY.test(key)
}

/** The value as tend shows it: redacted whole under a secret-looking name, else with any URL password hidden. */
export function redactValue(key: string, value: string): string {
  if (isSecretKey(key)) return REDACTED
  return value.replace(URL_PASSWORD, `$1${REDACTED}$3`)
}

export function redactSpec(spec: NormalizedSpec): NormalizedSpec {
  const env: Record<string, string> = {}
  let changed = false
  for (const [key, value] of Object.entries(spec.env)) {
    env[key] = redactValue(key, value)
    if (env[key] !== value) changed = true
  }
  if (!changed) return spec
  return Object.freeze({ ...spec, env: Object.freeze(env) })
}
