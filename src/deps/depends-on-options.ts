/** The `dependsOn` option of a spec: names (meaning `'ready'`) or names with a condition. */
import type { SpecFields } from '../config/spec-fields.js'
import type { DependencyCondition } from '../types.js'

const CONDITIONS: readonly DependencyCondition[] = ['started', 'ready', 'completed', 'completedSuccessfully']
const FORM = "an array of app names, or an object of app names to 'started', 'ready', 'completed' or 'completedSuccessfully'"

export function normalizeDependsOn(fields: SpecFields, name: string): Readonly<Record<string, DependencyCondition>> {
  const value = fields.get('dependsOn')
  const result: Record<string, DependencyCondition> = Object.create(null) as Record<string, DependencyCondition>
  if (value === undefined || value === null) return Object.freeze(result)
  const entries: [string, unknown][] = Array.isArray(value)
    ? value.map((dependency): [string, unknown] => [dependency as string, 'ready'])
    : typeof value === 'object'
      ? Object.entries(value as Record<string, unknown>)
      : fields.fail('dependsOn', FORM, value)
  for (const [dependency, condition] of entries) {
    if (typeof dependency !== 'string' || dependency === '') fields.fail('dependsOn', FORM, value)
    if (!CONDITIONS.includes(condition as DependencyCondition))
      fields.fail(`dependsOn.${dependency}`, CONDITIONS.map((c) => `'${c}'`).join(', '), condition)
    if (dependency === name) fields.problem('dependsOn', `an app cannot depend on itself ("${name}")`)
    result[dependency] = condition as DependencyCondition
  }
  return Object.freeze(result)
}
