/** The `cronRestart` option of a spec: a cron expression croner accepts, or nothing. */
import { Cron } from 'croner'
import type { SpecFields } from '../config/spec-fields.js'

const CRON_FORM = "a cron expression such as '0 3 * * *' (5 fields, or 6 with seconds first)"

export function normalizeCron(fields: SpecFields): string | null {
  const value = fields.get('cronRestart')
  if (value === undefined || value === null) return null
  if (typeof value !== 'string' || value.trim() === '') return fields.fail('cronRestart', CRON_FORM, value)
  try {
    new Cron(value, { paused: true }).stop()
  } catch (error) {
    return fields.fail('cronRestart', `${CRON_FORM} (${error instanceof Error ? error.message : String(error)})`, value)
  }
  return value.trim()
}
