/** The apps and processes of one Supervisor, and how targets pick them. */
import { NotFoundError } from '../errors.js'
import type { NormalizedSpec, Target } from '../types.js'
import type { ManagedProcess } from './managed-process.js'

export interface App {
  spec: NormalizedSpec
  /** Ordered by instance index. */
  readonly processes: ManagedProcess[]
}

/** The apps a target touches, and for each, which of its processes (all, or these ids). */
export type Selection = Map<string, Set<number> | 'all'>

/** An operation's plan: per app, which processes, and whether the target named it (so it must exist at the turn). */
export type Plan = Map<string, { readonly which: Set<number> | 'all'; readonly named: boolean }>

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

  /** Which apps (and processes of them) a target names. Throws NotFoundError for any part that matches nothing. */
  select(target: Target): Selection {
    const selection: Selection = new Map()
    const parts = Array.isArray(target) ? (target as readonly (number | string)[]) : [target as number | string]
    if (parts.length === 0) throw new NotFoundError(target)
    for (const part of parts) {
      if (!this.#selectOne(part, selection)) throw new NotFoundError(part)
    }
    return selection
  }

  #selectOne(part: number | string, selection: Selection): boolean {
    const addWhole = (name: string): void => void selection.set(name, 'all')
    const addId = (id: number): boolean => {
      const appName = this.#appOf.get(id)
      if (appName === undefined) return false
      const current = selection.get(appName)
      if (current === 'all') return true
      selection.set(appName, new Set([...(current ?? []), id]))
      return true
    }
    if (typeof part === 'number') return Number.isInteger(part) && addId(part)
    if (typeof part !== 'string') return false
    if (part === 'all') {
      for (const name of this.apps.keys()) addWhole(name)
      return true
    }
    if (this.apps.has(part)) {
      addWhole(part)
      return true
    }
    if (/^\d+$/.test(part)) return addId(Number(part))
    let found = false
    for (const [name, app] of this.apps) {
      if (app.spec.namespace === part) {
        addWhole(name)
        found = true
      }
    }
    return found
  }

  /**
   * Plans an operation on a target without resolving it for good: each app
   * it names is checked again at the operation's turn in that app's queue
   * (an app a queued start will create counts; one deleted meanwhile is
   * NotFound if it was named, and skipped if it came from 'all' or a namespace).
   */
  plan(target: Target): Plan {
    const plan: Plan = new Map()
    const parts = Array.isArray(target) ? (target as readonly (number | string)[]) : [target as number | string]
    if (parts.length === 0) throw new NotFoundError(target)
    for (const part of parts) {
      const isId = typeof part === 'number' || /^\d+$/.test(part)
      if (typeof part === 'string' && !isId && part !== 'all' && !this.apps.has(part) && !this.#isNamespace(part)) {
        plan.set(part, { which: 'all', named: true })
        continue
      }
      const selection: Selection = new Map()
      if (!this.#selectOne(part, selection)) throw new NotFoundError(part)
      for (const [name, which] of selection) {
        const named = isId || this.apps.has(String(part))
        const current = plan.get(name)
        if (current?.which === 'all' || which === 'all') plan.set(name, { which: 'all', named: named || (current?.named ?? false) })
        else plan.set(name, { which: new Set([...(current?.which ?? []), ...which]), named: true })
      }
    }
    return plan
  }

  #isNamespace(name: string): boolean {
    for (const app of this.apps.values()) if (app.spec.namespace === name) return true
    return false
  }

  /** The processes a target names now, by id. Throws NotFoundError when a part names nothing. */
  processesOf(target: Target): ManagedProcess[] {
    const out: ManagedProcess[] = []
    for (const [name, which] of this.select(target)) {
      const app = this.apps.get(name)
      if (app) out.push(...this.pick(app, which))
    }
    return out.sort((a, b) => a.id - b.id)
  }

  /** The processes of one app a selection names, as they are now. */
  pick(app: App, which: Set<number> | 'all'): ManagedProcess[] {
    return which === 'all' ? [...app.processes] : app.processes.filter((process) => which.has(process.id))
  }
}
