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

/** What an ordered start needs of the supervisor. */
export interface OrderedStartPort<A extends { readonly spec: NormalizedSpec }> {
  /** The ordinary start of one app: resolves when its instances are online. */
  start(app: A): Promise<ProcessInfo[]>
  /** Resolves once a process of the app has spawned; call before start(). Ends with `signal`. */
  spawned(name: string, signal: AbortSignal): Promise<void>
  /** Resolves with the app's processes once none of them runs or waits for a restart. */
  ended(name: string): Promise<ProcessInfo[]>
  /** An app outside the set that is registered (a dependency on it counts as met). */
  isRunning(name: string): boolean
}

/** True when the set has a dependency between two of its apps (otherwise the plain start applies). */
export function hasInternalDependencies(specs: readonly NormalizedSpec[]): boolean {
  const names = new Set(specs.map((spec) => spec.name))
  return specs.some((spec) => Object.keys(spec.dependsOn).some((name) => names.has(name)))
}

/** Checks the graph (throwing InvalidSpecError before anything starts), then starts each app in its turn. */
export async function startInOrder<A extends { readonly spec: NormalizedSpec }>(
  apps: readonly A[],
  port: OrderedStartPort<A>,
): Promise<ProcessInfo[]> {
  startWaves(
    apps.map(({ spec }) => ({ name: spec.name, dependsOn: spec.dependsOn })),
    (name) => port.isRunning(name),
  )
  const done = new AbortController()
  const byName = new Map(apps.map((app) => [app.spec.name, app]))
  const spawned = new Map(apps.map((app) => [app.spec.name, port.spawned(app.spec.name, done.signal)]))
  const starts = new Map<string, Promise<ProcessInfo[]>>()
  const startOf = (app: A): Promise<ProcessInfo[]> => {
    const { name } = app.spec
    let start = starts.get(name)
    if (!start) {
      start = (async () => {
        await settleAll(
          Object.entries(app.spec.dependsOn)
            .filter(([dependency]) => byName.has(dependency))
            .map(([dependency, condition]) => met(name, dependency, condition)),
        )
        return startOne(app)
      })()
      starts.set(name, start)
    }
    return start
  }
  /** A one-shot app (autorestart false) that ends with code 0 before it is seen online has done its job. */
  const startOne = (app: A): Promise<ProcessInfo[]> =>
    port.start(app).catch((error: unknown) => {
      if (error instanceof ExitedError && error.exitCode === 0 && !app.spec.autorestart) return port.ended(app.spec.name)
      throw error
    })
  const met = async (name: string, dependency: string, condition: DependencyCondition): Promise<void> => {
    const start = startOf(byName.get(dependency)!)
    try {
      if (condition === 'started') return await Promise.race([spawned.get(dependency)!, start.then(() => undefined)])
      await start
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
  try {
    return (await settleAll(apps.map(startOf))).flat()
  } finally {
    done.abort()
  }
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
