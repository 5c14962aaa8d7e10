/**
 * Which processes an app has: creating them (with their log files, or none
 * at all when a file cannot be opened) and forgetting them. start(), scale()
 * and delete() go through here, each under the app's lock.
 */
import type { LogManager } from '../logs/log-manager.js'
import type { OutputBuffer } from '../logs/output-buffer.js'
import type { AppSpec, NormalizedSpec } from '../types.js'
import { settleAll } from '../util/settle.js'
import { ManagedProcess, type ProcessHost } from './managed-process.js'
import type { App, Registry } from './registry.js'

export class AppMembership {
  readonly #registry: Registry
  readonly #host: ProcessHost
  readonly #logs: LogManager<ManagedProcess>
  readonly #output: OutputBuffer
  /** Each app's spec as given to start() (unredacted), for specs(). */
  readonly #sources = new Map<string, AppSpec>()

  constructor(deps: { registry: Registry; host: ProcessHost; logs: LogManager<ManagedProcess>; output: OutputBuffer }) {
    this.#registry = deps.registry
    this.#host = deps.host
    this.#logs = deps.logs
    this.#output = deps.output
  }

  /** Registers a new app with `spec.instances` processes (not launched). Rejects, having registered nothing, when a log file cannot be opened. */
  async createApp(spec: NormalizedSpec, source: AppSpec): Promise<App> {
    const app = this.#registry.addApp(spec)
    try {
      await this.add(app, spec.instances)
    } catch (error) {
      this.#registry.removeApp(spec.name)
      throw error
    }
    this.#sources.set(spec.name, source)
    return app
  }

  /**
   * Makes `spec` the app's spec and every process's (for their next runs),
   * keeping the current number of instances, and `source` what specs()
   * saves. Returns the spec it replaced, to put back should the change fail.
   */
  adopt(app: App, spec: NormalizedSpec, source: AppSpec | undefined): { spec: NormalizedSpec; source: AppSpec | undefined } {
    const previous = { spec: app.spec, source: this.#sources.get(app.spec.name) }
    app.spec = Object.freeze({ ...spec, instances: app.processes.length })
    for (const process of app.processes) process.spec = app.spec
    if (source) this.#sources.set(app.spec.name, source)
    else this.#sources.delete(app.spec.name)
    return previous
  }

  /** The app's spec as given to start() (or adopted since). */
  sourceOf(app: App): AppSpec | undefined {
    return this.#sources.get(app.spec.name)
  }

  /** Removes an app that has no process left. */
  removeApp(app: App): void {
    this.#registry.removeApp(app.spec.name)
    this.#sources.delete(app.spec.name)
  }

  /**
   * Every app's spec as given to start(), unredacted, with `name`, `cwd`
   * absolute and `instances` the current number of processes.
   */
  specs(): AppSpec[] {
    const out: AppSpec[] = []
    for (const [name, app] of this.#registry.apps) {
      const source = this.#sources.get(name)
      if (source) out.push({ ...source, name, cwd: app.spec.cwd, instances: app.processes.length })
    }
    return out
  }

  /**
   * Sets the app's number of processes: new ones take the lowest free
   * instance indexes and start in parallel (`arm` runs once they are
   * launched); removed ones are the highest indexes, stopped gracefully.
   */
  async resize(app: App, wanted: number, arm: (app: App) => Promise<void>, signal?: AbortSignal): Promise<void> {
    const current = app.processes.length
    app.spec = Object.freeze({ ...app.spec, instances: wanted })
    for (const process of app.processes) process.spec = app.spec
    if (wanted > current) {
      const added = await this.add(app, wanted - current)
      for (const process of added) process.launch()
      await arm(app)
      await settleAll(added.map((process) => process.untilOnline(signal)))
    } else if (wanted < current) {
      const removed = [...app.processes].sort((a, b) => b.instance - a.instance).slice(0, current - wanted)
      await settleAll(removed.map((process) => process.stop('scale')))
      for (const process of removed) await this.forget(app, process)
    }
  }

  /** Adds `count` processes with the lowest free instance indexes (not launched), their log files open. */
  async add(app: App, count: number): Promise<ManagedProcess[]> {
    const used = new Set(app.processes.map((process) => process.instance))
    const added: ManagedProcess[] = []
    for (let instance = 0; added.length < count; instance++) {
      if (used.has(instance)) continue
      const process = new ManagedProcess(this.#host, app.spec, this.#registry.nextId(), instance)
      this.#registry.addProcess(app, process)
      added.push(process)
    }
    try {
      await this.#logs.attach(added)
    } catch (error) {
      for (const process of added) this.#registry.removeProcess(app, process)
      throw error
    }
    return added
  }

  /** Forgets a stopped process: its timers, its registry entry, its lines in memory, its log files. */
  async forget(app: App, process: ManagedProcess): Promise<void> {
    process.dispose()
    this.#registry.removeProcess(app, process)
    this.#output.forget(process.id)
    await this.#logs.detach(process.id)
  }
}
