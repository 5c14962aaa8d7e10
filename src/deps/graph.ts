/**
 * The dependency graph of a set of apps, as a pure function: validation (a
 * dependency on an app neither in the set nor running, or a cycle, is
 * TEND_ERR_INVALID_SPEC naming it), the start waves (each app in the first
 * wave after all its dependencies: the greatest parallelism the graph allows)
 * and the stop order (the waves reversed).
 */
import { InvalidSpecError } from '../errors.js'
import type { DependencyCondition } from '../types.js'

/** One app of the set: its name and what it depends on (names of apps, with their condition). */
export interface DependencyNode {
  readonly name: string
  readonly dependsOn: Readonly<Record<string, DependencyCondition>>
}

/**
 * Checks the graph and returns the start waves: apps in one wave depend only
 * on apps of earlier waves (or on running apps outside the set), so a wave can
 * start at once. Throws InvalidSpecError naming the unknown app or the cycle.
 */
export function startWaves(nodes: readonly DependencyNode[], isRunning: (name: string) => boolean = () => false): string[][] {
  const byName = new Map(nodes.map((node) => [node.name, node]))
  for (const node of nodes) {
    for (const dependency of Object.keys(node.dependsOn)) {
      if (dependency === node.name) throw cycleError([node.name, node.name])
      if (!byName.has(dependency) && !isRunning(dependency)) {
        throw new InvalidSpecError(`App "${node.name}" depends on "${dependency}", which is neither running nor in the set being started`, {
          option: 'dependsOn',
          app: node.name,
        })
      }
    }
  }
  const cycle = findCycle(nodes, byName)
  if (cycle) throw cycleError(cycle)
  const wave = new Map<string, number>()
  const waveOf = (name: string): number => {
    const known = wave.get(name)
    if (known !== undefined) return known
    const inSet = Object.keys(byName.get(name)!.dependsOn).filter((dependency) => byName.has(dependency))
    const value = inSet.length === 0 ? 0 : 1 + Math.max(...inSet.map(waveOf))
    wave.set(name, value)
    return value
  }
  const waves: string[][] = []
  for (const node of nodes) (waves[waveOf(node.name)] ??= []).push(node.name)
  return waves
}

/** The order to stop or delete a set in: dependents before what they depend on. */
export function stopWaves(nodes: readonly DependencyNode[]): string[][] {
  return startWaves(nodes, () => true).reverse()
}

function cycleError(cycle: readonly string[]): InvalidSpecError {
  return new InvalidSpecError(`Apps depend on each other in a cycle: ${cycle.join(' → ')}`, { option: 'dependsOn', app: cycle[0] })
}

/** A cycle as the names along it, first name repeated at the end; null when the graph has none. */
function findCycle(nodes: readonly DependencyNode[], byName: ReadonlyMap<string, DependencyNode>): string[] | null {
  const state = new Map<string, 'visiting' | 'done'>()
  const path: string[] = []
  const visit = (name: string): string[] | null => {
    if (state.get(name) === 'done') return null
    if (state.get(name) === 'visiting') return [...path.slice(path.indexOf(name)), name]
    state.set(name, 'visiting')
    path.push(name)
    for (const dependency of Object.keys(byName.get(name)!.dependsOn)) {
      if (!byName.has(dependency)) continue
      const cycle = visit(dependency)
      if (cycle) return cycle
    }
    path.pop()
    state.set(name, 'done')
    return null
  }
  for (const node of nodes) {
    const cycle = visit(node.name)
    if (cycle) return cycle
  }
  return null
}
