/** The `maxMemoryRestart` option of a spec: a size above 0 in bytes, or nothing. */
import type { SpecFields } from '../config/spec-fields.js'

export function normalizeMaxMemory(fields: SpecFields): number | null {
  const value = fields.get('maxMemoryRestart')
  if (value === undefined || value === null) return null
  return fields.size('maxMemoryRestart', 1, "a size above 0 (bytes as a number, or a string like '200M', '1G')", value)
}
