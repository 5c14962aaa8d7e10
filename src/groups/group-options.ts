/**
 * Supervision groups as specs and options give them: an app's `group` key,
 * and the declarations (`SupervisorOptions.groups`, `defineGroups()`, an
 * ecosystem file's `groups`) with their defaults. Every problem is an
 * InvalidSpecError naming the field, in the spec fields' message template.
 */
import type { SpecFields } from '../config/spec-fields.js'
import { describeValue, DURATION_FORM } from '../config/spec-fields.js'
import { suggest } from '../config/suggest.js'
import { parseDuration } from '../config/units.js'
import { InvalidSpecError } from '../errors.js'
import type { GroupSpec, GroupStrategy, NormalizedGroup } from '../types.js'

export const GROUP_STRATEGIES: readonly GroupStrategy[] = ['one_for_all', 'rest_for_one', 'one_for_one']

/**
 * The defaults of a GroupSpec. OTP's supervisor default is 1 restart in 5 s,
 * made for processes that restart in microseconds; an app that takes seconds
 * to start and crashes on a bad deploy would give up on the first hiccup. 5
 * restarts in 60 s rides out a flapping dependency (a database failing over)
 * and still gives up on a crash loop within about a minute. `one_for_all` is
 * the default because declaring a group at all says its members belong together.
 */
export const GROUP_DEFAULTS = { strategy: 'one_for_all', maxRestarts: 5, period: 60_000 } as const

const GROUP_KEYS = Object.keys(GROUP_DEFAULTS)
const NAME = /^[^\s/\\]+$/
const NAME_FORM = 'a non-empty group name without spaces or slashes'

/** An app's `group`: a name, or null when it has none. */
export function normalizeGroupName(fields: SpecFields): string | null {
  const value = fields.get('group')
  if (value === undefined || value === null) return null
  if (typeof value !== 'string' || !NAME.test(value)) return fields.fail('group', NAME_FORM, value)
  return value
}

function invalid(option: string, expected: string, value: unknown): never {
  throw new InvalidSpecError(`Invalid option "${option}": expected ${expected}, got ${describeValue(value)}`, { option })
}

/** One declaration with its defaults applied. Throws InvalidSpecError naming `groups.<name>.<field>`. */
export function normalizeGroup(name: string, spec: unknown): NormalizedGroup {
  if (!NAME.test(name)) invalid('groups', NAME_FORM, name)
  const at = `groups.${name}`
  if (spec === undefined || spec === null) spec = {}
  if (typeof spec !== 'object' || Array.isArray(spec)) invalid(at, 'an object with strategy, maxRestarts and period', spec)
  const input = spec as Readonly<Record<string, unknown>>
  for (const key of Object.keys(input)) {
    if (GROUP_KEYS.includes(key)) continue
    const hint = suggest(key, GROUP_KEYS)
    throw new InvalidSpecError(
      `Invalid option "${at}.${key}": unknown key; expected one of ${GROUP_KEYS.join(', ')}${hint ? ` (did you mean "${hint}"?)` : ''}`,
      { option: `${at}.${key}` },
    )
  }
  const strategy = input.strategy ?? GROUP_DEFAULTS.strategy
  if (!GROUP_STRATEGIES.includes(strategy as GroupStrategy))
    invalid(`${at}.strategy`, GROUP_STRATEGIES.map((one) => `'${one}'`).join(', '), strategy)
  const maxRestarts = input.maxRestarts ?? GROUP_DEFAULTS.maxRestarts
  if (typeof maxRestarts !== 'number' || !Number.isInteger(maxRestarts) || maxRestarts < 0)
    invalid(`${at}.maxRestarts`, 'an integer ≥ 0', maxRestarts)
  const periodInput = input.period ?? GROUP_DEFAULTS.period
  const period = parseDuration(periodInput)
  if (period === undefined || period <= 0) invalid(`${at}.period`, `${DURATION_FORM} above 0`, periodInput)
  return Object.freeze({ name, strategy: strategy as GroupStrategy, maxRestarts, period })
}

/** Every declaration of a `groups` object. Throws InvalidSpecError before any is used. */
export function normalizeGroups(groups: unknown): NormalizedGroup[] {
  if (groups === undefined || groups === null) return []
  if (typeof groups !== 'object' || Array.isArray(groups))
    invalid('groups', 'an object of group names to { strategy, maxRestarts, period }', groups)
  return Object.entries(groups as Readonly<Record<string, GroupSpec | undefined>>).map(([name, spec]) => normalizeGroup(name, spec))
}

/** A declaration as it was normalized, in the form a GroupSpec takes (what save() writes and defineGroups() takes again). */
export function groupSpecOf(group: NormalizedGroup): GroupSpec {
  return { strategy: group.strategy, maxRestarts: group.maxRestarts, period: group.period }
}
