/**
 * Which members of a group a strategy restarts, and in what order, as pure
 * functions. Member order is the dependency order among the members (a
 * member after every member it depends on), ties broken by the order the
 * apps were started; a restart stops the set in reverse and starts it in
 * waves (each wave after the waves it depends on).
 */
import { startWaves } from '../deps/graph.js'
import type { DependencyCondition, GroupStrategy } from '../types.js'

/** A member app as planning sees it: its name and its dependencies (any app; those outside the group are ignored). */
export interface Member {
  readonly name: string
  readonly dependsOn: Readonly<Record<string, DependencyCondition>>
}

/** The members restricted to dependencies among themselves, in start order. */
function amongThemselves(members: readonly Member[]): Member[] {
  const names = new Set(members.map((member) => member.name))
  return members.map(({ name, dependsOn }) => ({
    name,
    dependsOn: Object.fromEntries(Object.entries(dependsOn).filter(([dependency]) => names.has(dependency))),
  }))
}

/**
 * The members in dependency order; `members` come in the order their apps
 * were started, which breaks ties. (The dependencies were checked for cycles
 * when the apps started; a cycle here throws InvalidSpecError as there.)
 */
export function memberOrder(members: readonly Member[]): string[] {
  return startWaves(amongThemselves(members)).flat()
}

/**
 * The apps a strategy restarts when a process of `failed` exits
 * unexpectedly, in member order: all of them (`one_for_all`), `failed` and
 * those after it (`rest_for_one`), none (`one_for_one`: the process restarts
 * by its own policy); none either when `failed` is no member any more.
 */
export function restartSet(strategy: GroupStrategy, order: readonly string[], failed: string): string[] {
  if (strategy === 'one_for_one') return []
  if (strategy === 'one_for_all') return [...order]
  const at = order.indexOf(failed)
  return at === -1 ? [] : order.slice(at) // -1: it left the group (deleted) before the restart's turn
}

/** The waves a restart starts `set` in (each wave depends only on earlier ones); the stop goes through them reversed. */
export function restartWaves(set: readonly string[], members: readonly Member[]): string[][] {
  const wanted = new Set(set)
  const inSet = amongThemselves(members.filter((member) => wanted.has(member.name)))
  const waves = startWaves(inSet)
  // keep member order within a wave
  return waves.map((wave) => set.filter((name) => wave.includes(name)))
}
