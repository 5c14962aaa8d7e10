/**
 * The apps and processes of one Supervisor, and how targets pick them: an
 * id (number or digits), an app name, a namespace, 'all', or an array of these.
 */
import { NotFoundError } from '../errors.js'
import type { NormalizedSpec, Target } from '../types.js'
import { settleAll } from '../util/settle.js'
import type { KeyedQueue } from './keyed-queue.js'
import type { ManagedProcess } from './managed-process.js'

export interface App {
  spec: NormalizedSpec
  /** Ordered by instance index. */
  readonly processes: ManagedProcess[]
}

/** Which processes of one app: all of them, or these ids. */
export type Which = Set<number> | 'all'

/** An operation's plan: per app, which processes, and whether the target named it (so it must exist at the turn). */
export type Plan = Map<string, { readonly which: Which; readonly named: boolean }>

export class Registry {
  readonly apps = new Map<string, App>()
  readonly #byId = new Map<number, ManagedProcess>()
  readonly #appOf = new Map<number, string>()
  #nextId = 0

  nextId(): number {
    return this.#nextId++
  }

  addApp(spec: NormalizedSpec): App {
    const app: App = { spec, processes: [] }
    this.apps.set(spec.name, app)
    return app
  }

  addProcess(app: App, process: ManagedProcess): void {
    app.processes.push(process)
    app.processes.sort((a, b) => a.instance - b.instance)
    this.#byId.set(process.id, process)
    this.#appOf.set(process.id, app.spec.name)
  }

  removeProcess(app: App, process: ManagedProcess): void {
    const index = app.processes.indexOf(process)
    if (index !== -1) app.processes.splice(index, 1)
    this.#byId.delete(process.id)
    this.#appOf.delete(process.id)
  }

  removeApp(name: string): void {
    const app = this.apps.get(name)
    if (!app) return
    for (const process of [...app.processes]) this.removeProcess(app, process)
    this.apps.delete(name)
  }

  all(): ManagedProcess[] {
    return [...this.#byId.values()].sort((a, b) => a.id - b.id)
  }

  /**
   * Plans an operation on a target without resolving it for good: each app
   * it names is checked again at the operation's turn in that app's queue
   * (an app a queued start will create counts; one deleted meanwhile is
   * NotFound if it was named, and skipped if it came from 'all' or a
   * namespace). Throws NotFoundError for an id or namespace that matches nothing now.
   */
  plan(target: Target): Plan {
    const plan: Plan = new Map()
    const parts = Array.isArray(target) ? (target as readonly unknown[]) : [target]
    if (parts.length === 0) throw new NotFoundError(target)
    for (const part of parts) {
      if (typeof part !== 'number' && typeof part !== 'string') throw new NotFoundError(part)
      const isId = typeof part === 'number' || /^\d+$/.test(part)
      if (typeof part === 'string' && !isId && part !== 'all' && !this.apps.has(part) && !this.#isNamespace(part)) {
        plan.set(part, { which: 'all', named: true }) // an app a queued start may create
        continue
      }
      const selection = this.#select(part)
      if (!selection) throw new NotFoundError(part)
      const named = isId || this.apps.has(String(part))
      for (const [name, which] of selection) {
        const current = plan.get(name)
        if (current?.which === 'all' || which === 'all') plan.set(name, { which: 'all', named: named || (current?.named ?? false) })
        else plan.set(name, { which: new Set([...(current?.which ?? []), ...which]), named: true })
      }
    }
    return plan
  }

  /** The processes a target names now, by id. Throws NotFoundError when a part names nothing. */
  processesOf(target: Target): ManagedProcess[] {
    const out: ManagedProcess[] = []
    for (const [name, { which }] of this.plan(target)) {
      const app = this.apps.get(name)
      if (!app) throw new NotFoundError(name)
      out.push(...this.pick(app, which))
    }
    return out.sort((a, b) => a.id - b.id)
  }

  /** The processes of one app a plan names, as they are now. */
  pick(app: App, which: Which): ManagedProcess[] {
    return which === 'all' ? [...app.processes] : app.processes.filter((process) => which.has(process.id))
  }

  /** The apps (and processes of them) one part of a target names now, or null when it names nothing. */
  #select(part: number | string): Map<string, Which> | null {
    const selection = new Map<string, Which>()
    const byId = (id: number): Map<string, Which> | null => {
      const name = this.#appOf.get(id)
      return name === undefined ? null : selection.set(name, new Set([id]))
    }
    if (typeof part === 'number') return Number.isInteger(part) ? byId(part) : null
    if (part === 'all') {
      for (const name of this.apps.keys()) selection.set(name, 'all')
      return selection
    }
    if (this.apps.has(part)) return selection.set(part, 'all')
    if (/^\d+$/.test(part)) return byId(Number(part))
    for (const [name, app] of this.apps) if (app.spec.namespace === part) selection.set(name, 'all')
    return selection.size > 0 ? selection : null
  }

  #isNamespace(name: string): boolean {
    for (const app of this.apps.values()) if (app.spec.namespace === name) return true
    return false
  }
}

/**
 * Runs `task` for each app the target names, under that app's lock, with
 * the app's processes the target names as they are at the task's turn.
 * Apps proceed in parallel; the first failure rejects once all settled.
 * Resolves with the processes acted on.
 */
export async function runPlanned(
  registry: Registry,
  queue: KeyedQueue,
  target: Target,
  signal: AbortSignal | undefined,
  task: (app: App, processes: ManagedProcess[]) => Promise<void>,
): Promise<ManagedProcess[]> {
  const plan = registry.plan(target)
  const perApp = await settleAll(
    [...plan].map(([name, { which, named }]) =>
      queue.run(
        name,
        async () => {
          const app = registry.apps.get(name)
          const processes = app ? registry.pick(app, which) : []
          if (!app || processes.length === 0) {
            if (named && (!app || which !== 'all')) throw new NotFoundError(target)
            return []
          }
          await task(app, processes)
          return processes
        },
        signal,
      ),
    ),
  )
  return perApp.flat()
}
