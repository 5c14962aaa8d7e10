/**
 * Starting a set of apps in dependency order: each app starts as soon as the
 * apps it depends on in the set meet their conditions, so independent apps
 * start at once (the greatest parallelism the graph allows). The graph is
 * checked before anything starts (graph.ts). An app whose dependency fails
 * is not started and fails with DependencyError naming the chain.
 */
import { DependencyError, ExitedError } from '../errors.js'
import type { DependencyCondition, NormalizedSpec, ProcessInfo } from '../types.js'
import { settleAll } from '../util/settle.js'
import { startWaves, stopWaves } from './graph.js'

/** What running a set of apps in dependency order needs of the supervisor. */
export interface DependencyPort {
  /** Resolves once a process of the app has spawned; call before its step. Ends with `signal`. */
  spawned(name: string, signal: AbortSignal): Promise<void>
  /** Resolves with the app's processes once none of them runs or waits for a restart. */
  ended(name: string): Promise<ProcessInfo[]>
  /** An app outside the set that is registered (a dependency on it counts as met). */
  isRunning(name: string): boolean
}

/** What an ordered start needs of the supervisor. */
export interface OrderedStartPort<A extends { readonly spec: NormalizedSpec }> extends DependencyPort {
  /** The ordinary start of one app: resolves when its instances are online. */
  start(app: A): Promise<ProcessInfo[]>
}

/** True when the set has a dependency between two of its apps (otherwise the plain start applies). */
export function hasInternalDependencies(specs: readonly NormalizedSpec[]): boolean {
  const names = new Set(specs.map((spec) => spec.name))
  return specs.some((spec) => Object.keys(spec.dependsOn).some((name) => names.has(name)))
}

/** Checks the graph of a set: a cycle, or a dependency neither in the set nor running, is InvalidSpecError. */
export function checkDependencies(specs: readonly NormalizedSpec[], isRunning: (name: string) => boolean): void {
  startWaves(
    specs.map((spec) => ({ name: spec.name, dependsOn: spec.dependsOn })),
    isRunning,
  )
}

/** Checks the graph (throwing InvalidSpecError before anything starts), then starts each app in its turn. */
export async function startInOrder<A extends { readonly spec: NormalizedSpec }>(
  apps: readonly A[],
  port: OrderedStartPort<A>,
): Promise<ProcessInfo[]> {
  checkDependencies(
    apps.map(({ spec }) => spec),
    (name) => port.isRunning(name),
  )
  /** A one-shot app (autorestart false) that ends with code 0 before it is seen online has done its job. */
  const startOne = (app: A): Promise<ProcessInfo[]> =>
    port.start(app).catch((error: unknown) => {
      if (error instanceof ExitedError && error.exitCode === 0 && !app.spec.autorestart) return port.ended(app.spec.name)
      throw error
    })
  const outcomes = runInOrder(apps, startOne, port)
  return (await settleAll(apps.map((app) => outcomes.get(app.spec.name)!))).flat()
}

/**
 * Runs `step` for each app of a set (whose graph is already checked) as soon
 * as the apps it depends on in the set meet their conditions: `ready` once
 * the dependency's step has resolved, `started` once it has spawned,
 * `completed*` once it has ended. Returns each app's outcome by name; a
 * dependent of an app whose step failed (or that did not complete as asked)
 * is not run and rejects with DependencyError naming the chain.
 */
export function runInOrder<A extends { readonly spec: NormalizedSpec }, R>(
  apps: readonly A[],
  step: (app: A) => Promise<R>,
  port: DependencyPort,
): Map<string, Promise<R>> {
  const done = new AbortController()
  const byName = new Map(apps.map((app) => [app.spec.name, app]))
  const spawned = new Map(apps.map((app) => [app.spec.name, port.spawned(app.spec.name, done.signal)]))
  const outcomes = new Map<string, Promise<R>>()
  const outcomeOf = (app: A): Promise<R> => {
    const { name } = app.spec
    let outcome = outcomes.get(name)
    if (!outcome) {
      outcome = (async () => {
        await settleAll(
          Object.entries(app.spec.dependsOn)
            .filter(([dependency]) => byName.has(dependency))
            .map(([dependency, condition]) => met(name, dependency, condition)),
        )
        return step(app)
      })()
      outcomes.set(name, outcome)
    }
    return outcome
  }
  const met = async (name: string, dependency: string, condition: DependencyCondition): Promise<void> => {
    const outcome = outcomeOf(byName.get(dependency)!)
    try {
      if (condition === 'started') return await Promise.race([spawned.get(dependency)!, outcome.then(() => undefined)])
      await outcome
    } catch (error) {
      if (error instanceof DependencyError) throw new DependencyError([name, ...error.chain], error.reason)
      throw new DependencyError([name, dependency], `failed: ${(error as Error).message}`)
    }
    if (condition === 'ready') return
    const ended = await port.ended(dependency)
    if (condition === 'completedSuccessfully') {
      const failed = ended.find((info) => info.status !== 'stopped' || info.exitCode !== 0)
      if (failed) {
        const how = failed.signal ? `signal ${failed.signal}` : `code ${failed.exitCode}`
        throw new DependencyError([name, dependency], `did not complete successfully (process ${failed.id} ${failed.status}, exit ${how})`)
      }
    }
  }
  for (const app of apps) void outcomeOf(app)
  void Promise.allSettled(outcomes.values()).then(() => done.abort())
  return outcomes
}

/**
 * The processes of a stop or delete, grouped so that dependents go before
 * what they depend on; one group when no two of their apps depend on each other.
 */
export function dependentsFirst<P extends { readonly id: number; readonly spec: NormalizedSpec }>(processes: readonly P[]): P[][] {
  const specs = [...new Map(processes.map((process) => [process.spec.name, process.spec])).values()]
  if (!hasInternalDependencies(specs)) return [[...processes]]
  const names = new Set(specs.map((spec) => spec.name))
  const waves = stopWaves(
    specs.map((spec) => ({
      name: spec.name,
      dependsOn: Object.fromEntries(Object.entries(spec.dependsOn).filter(([name]) => names.has(name))),
    })),
  )
  return waves.map((wave) => processes.filter((process) => wave.includes(process.spec.name)))
}
