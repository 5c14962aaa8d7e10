/**
 * Which processes an app has: creating them (with their log files, or none
 * at all when a file cannot be opened) and forgetting them. start(), scale()
 * and delete() go through here, each under the app's lock.
 */
import type { LogManager } from '../logs/log-manager.js'
import type { OutputBuffer } from '../logs/output-buffer.js'
import type { NormalizedSpec } from '../types.js'
import { ManagedProcess, type ProcessHost } from './managed-process.js'
import type { App, Registry } from './registry.js'

export class AppMembership {
  readonly #registry: Registry
  readonly #host: ProcessHost
  readonly #logs: LogManager<ManagedProcess>
  readonly #output: OutputBuffer

  constructor(deps: { registry: Registry; host: ProcessHost; logs: LogManager<ManagedProcess>; output: OutputBuffer }) {
    this.#registry = deps.registry
    this.#host = deps.host
    this.#logs = deps.logs
    this.#output = deps.output
  }

  /** Registers a new app with `spec.instances` processes (not launched). Rejects, having registered nothing, when a log file cannot be opened. */
  async createApp(spec: NormalizedSpec): Promise<App> {
    const app = this.#registry.addApp(spec)
    try {
      await this.add(app, spec.instances)
    } catch (error) {
      this.#registry.removeApp(spec.name)
      throw error
    }
    return app
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
