/**
 * What declaring a file's groups changes against the groups a Supervisor
 * has: a pure function over normalized declarations, for `tend apply` and
 * `tend start` to say what they changed (apps' diffs do not show it).
 */
import type { NormalizedGroup } from '../types.js'

/** One group's change: `added`, or the fields that differ. */
export interface GroupChange {
  readonly name: string
  readonly change: 'added' | 'changed'
  readonly fields: readonly { readonly key: 'strategy' | 'maxRestarts' | 'period'; readonly from: string; readonly to: string }[]
}

const FIELDS = ['strategy', 'maxRestarts', 'period'] as const

/** The declared groups that are new or differ from the running ones (a group the file lacks is left as it is). */
export function diffGroups(running: readonly NormalizedGroup[], declared: readonly NormalizedGroup[]): GroupChange[] {
  const byName = new Map(running.map((group) => [group.name, group]))
  const changes: GroupChange[] = []
  for (const group of declared) {
    const before = byName.get(group.name)
    if (!before) {
      changes.push({ name: group.name, change: 'added', fields: [] })
      continue
    }
    const fields = FIELDS.filter((key) => before[key] !== group[key]).map((key) => ({
      key,
      from: shown(key, before[key]),
      to: shown(key, group[key]),
    }))
    if (fields.length > 0) changes.push({ name: group.name, change: 'changed', fields })
  }
  return changes
}

function shown(key: (typeof FIELDS)[number], value: string | number): string {
  if (key !== 'period') return String(value)
  const ms = Number(value)
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`
}
