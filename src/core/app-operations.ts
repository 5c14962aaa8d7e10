/**
 * What each public operation does to an app, under the app's lock: start,
 * stop, restart, reload, scale, delete, signal, send, flush and close. The
 * Supervisor validates its input and delegates here; this module resolves
 * the target at the operation's turn (runPlanned) and orchestrates the
 * processes, their logs and their triggers. It answers with the processes
 * it acted on; the facade turns them into snapshots.
 */
import { debuglog } from 'node:util'
import { applyApp, type AppliedApp, type ApplyPort, type Desired } from '../apply/apply.js'
import { diffSpecs } from '../apply/diff.js'
import { dependentsFirst, runInOrder, type DependencyPort } from '../deps/ordered-start.js'
import { ExistsError, ExitedError, InvalidArgumentError, NotFoundError, type TendError } from '../errors.js'
import type { LogManager } from '../logs/log-manager.js'
import type { OutputBuffer } from '../logs/output-buffer.js'
import type { AppSpec, NormalizedListen, NormalizedSpec, Target } from '../types.js'
import { settleAll } from '../util/settle.js'
import type { AppMembership } from './app-membership.js'
import type { KeyedQueue } from './keyed-queue.js'
import type { ManagedProcess } from './managed-process.js'
import { runPlanned, type App, type Registry } from './registry.js'
import { scaledCount, type ScaleCount } from './scale.js'

const debug = debuglog('tend')

/** The app's cron and watch triggers, as the operations see them (src/triggers/ implements it). */
export interface TriggerSwitch {
  /** Starts the app's triggers, if it has any and they are not running yet. */
  arm(app: App): Promise<void>
  /** Stops the app's triggers (no-op when none run). */
  disarm(name: string): Promise<void>
}

/** The sockets the supervisor holds for apps with `listen` (src/sockets/ implements it). */
export interface SocketHolder {
  /** Binds the app's sockets before its first instance: all or none (throws ListenError). */
  hold(app: string, specs: readonly NormalizedListen[]): Promise<void>
  /** Closes the app's sockets (no-op when it has none). */
  release(app: string): void
  close(): void
}

export interface AppOperationsDeps {
  readonly registry: Registry
  readonly queue: KeyedQueue
  readonly membership: AppMembership
  readonly logs: LogManager<ManagedProcess>
  readonly output: OutputBuffer
  readonly triggers: TriggerSwitch
  readonly sockets: SocketHolder
}

export class AppOperations {
  readonly #registry: Registry
  readonly #queue: KeyedQueue
  readonly #membership: AppMembership
  readonly #logs: LogManager<ManagedProcess>
  readonly #output: OutputBuffer
  readonly #triggers: TriggerSwitch
  readonly #sockets: SocketHolder

  constructor(deps: AppOperationsDeps) {
    this.#registry = deps.registry
    this.#queue = deps.queue
    this.#membership = deps.membership
    this.#logs = deps.logs
    this.#output = deps.output
    this.#triggers = deps.triggers
    this.#sockets = deps.sockets
  }

  /** Registers and launches apps, each in its turn; resolves when every instance is online. */
  async start(apps: readonly { spec: NormalizedSpec; source: AppSpec }[], signal?: AbortSignal): Promise<ManagedProcess[]> {
    const started = await settleAll(
      apps.map(({ spec, source }) => this.#queue.run(spec.name, () => this.#startApp(spec, source, signal), signal)),
    )
    return started.flat()
  }

  async #startApp(spec: NormalizedSpec, source: AppSpec, signal: AbortSignal | undefined): Promise<ManagedProcess[]> {
    if (this.#registry.apps.has(spec.name)) throw new ExistsError(spec.name)
    await this.#sockets.hold(spec.name, spec.listen)
    let app: App
    try {
      app = await this.#membership.createApp(spec, source)
    } catch (error) {
      this.#sockets.release(spec.name)
      throw error
    }
    debug('start %s (%d instances)', spec.name, spec.instances)
    if (spec.autostart) {
      for (const process of app.processes) process.launch()
      await this.#triggers.arm(app)
      await settleAll(app.processes.map((process) => process.untilOnline(signal)))
    }
    return [...app.processes]
  }

  /** Stops processes gracefully; they stay listed. What they printed is in their files when this resolves. */
  stop(target: Target, signal?: AbortSignal): Promise<ManagedProcess[]> {
    return runPlanned(this.#registry, this.#queue, target, signal, async (app, processes) => {
      await settleAll(processes.map((process) => process.stop('stop')))
      await this.#logs.settle(processes.map((process) => process.id))
      if (app.processes.every((process) => process.status === 'stopped')) await this.#triggers.disarm(app.spec.name)
    })
  }

  /**
   * Restarts processes (starting stopped ones) one at a time, each online
   * before the next; `env` first goes over the app's (PM2's --update-env).
   */
  restart(target: Target, signal?: AbortSignal, env?: Readonly<Record<string, string>>): Promise<ManagedProcess[]> {
    return runPlanned(this.#registry, this.#queue, target, signal, (app, processes) => {
      this.#updateEnv(app, env)
      return this.#restartProcesses(app, processes, signal)
    })
  }

  async #restartProcesses(app: App, processes: readonly ManagedProcess[], signal: AbortSignal | undefined): Promise<void> {
    await this.#triggers.arm(app)
    for (const process of processes) {
      await process.restart('restart')
      await process.untilOnline(signal)
    }
  }

  /** PM2's `--update-env`: `env` over the app's own, for this run and every later one. */
  #updateEnv(app: App, env: Readonly<Record<string, string>> | undefined): void {
    if (env === undefined) return
    if (env === null || typeof env !== 'object' || Array.isArray(env) || !Object.values(env).every((value) => typeof value === 'string')) {
      throw new InvalidArgumentError('env', 'env must be an object of strings')
    }
    const source = this.#membership.sourceOf(app)
    this.#membership.adopt(
      app,
      Object.freeze({ ...app.spec, env: Object.freeze({ ...app.spec.env, ...env }) }),
      source && { ...source, env: { ...source.env, ...env } },
    )
  }

  /**
   * Zero-downtime reload, one process at a time (ManagedProcess.reload). The
   * next replacement starts while the previous old child drains; the first
   * failure stops the round, and the processes after it stay as they were.
   */
  reload(target: Target, signal?: AbortSignal, env?: Readonly<Record<string, string>>): Promise<ManagedProcess[]> {
    return runPlanned(this.#registry, this.#queue, target, signal, (app, processes) => {
      this.#updateEnv(app, env)
      return this.#reloadProcesses(app, processes, signal)
    })
  }

  async #reloadProcesses(app: App, processes: readonly ManagedProcess[], signal: AbortSignal | undefined): Promise<void> {
    await this.#triggers.arm(app) // a reload starts stopped processes too
    const retiring: Promise<void>[] = []
    try {
      for (const process of processes) {
        signal?.throwIfAborted()
        const { retired } = await process.reload()
        retired.catch(() => undefined) // awaited below with the others: a failure (fork: never stable) rejects the reload there
        retiring.push(retired)
      }
    } finally {
      await Promise.all(retiring)
    }
  }

  /**
   * apply(): per app, in its turn, the diff against what runs and the least
   * change (src/apply/apply.ts). `names` are the desired apps and the
   * running ones the desired state lacks. The desired apps go in dependency
   * order (src/deps/ordered-start.ts: each one's step after its
   * dependencies' steps have met their conditions), a dependent of a failed
   * step is left alone with a DependencyError; apps the desired state lacks
   * are deleted (with `prune`) after the rest, dependents first.
   */
  async apply(
    names: readonly string[],
    desired: ReadonlyMap<string, Desired>,
    flags: { prune: boolean; dryRun: boolean },
    dependencies: DependencyPort,
    signal?: AbortSignal,
  ): Promise<AppliedApp<ManagedProcess>[]> {
    const port = this.#applyPort(signal)
    if (flags.dryRun) return Promise.all(names.map((name) => applyApp(name, desired.get(name), port, flags)))
    const step = (name: string): Promise<AppliedApp<ManagedProcess>> =>
      this.#queue.run(name, () => applyApp(name, desired.get(name), port, flags), signal)
    const results = new Map<string, AppliedApp<ManagedProcess>>()
    const wanted = names.filter((name) => desired.has(name)).map((name) => desired.get(name)!)
    const outcomes = runInOrder(
      wanted,
      async ({ spec }) => {
        const result = await step(spec.name)
        results.set(spec.name, result)
        if (result.error) throw new Error(`${result.error.code}: ${result.error.message}`)
        return result
      },
      dependencies,
    )
    const settled = await Promise.allSettled(wanted.map(({ spec }) => outcomes.get(spec.name)!))
    settled.forEach((outcome, index) => {
      const { spec } = wanted[index]!
      // a step that ran has its result (an error of its own included); one that did not waited on a failed dependency
      if (results.has(spec.name) || outcome.status === 'fulfilled') return
      const error = outcome.reason as Partial<TendError> & Error
      results.set(spec.name, {
        name: spec.name,
        diff: diffSpecs(this.#registry.apps.get(spec.name)?.spec, spec),
        actions: [],
        processes: port.processes(spec.name),
        error: { code: error.code ?? 'TEND_ERR_UNKNOWN', message: error.message },
      })
    })
    const removed = this.#registry.all().filter((process) => !desired.has(process.spec.name) && names.includes(process.spec.name))
    const unnamed = names.filter((name) => !desired.has(name) && !removed.some((process) => process.spec.name === name))
    for (const wave of [...dependentsFirst(removed).map((processes) => [...new Set(processes.map((p) => p.spec.name))]), unnamed]) {
      for (const result of await Promise.all(wave.map(step))) results.set(result.name, result)
    }
    return names.map((name) => results.get(name)!)
  }

  /** What apply needs, each step already under the app's lock. */
  #applyPort(signal: AbortSignal | undefined): ApplyPort<ManagedProcess> {
    const appOf = (name: string): App => {
      const app = this.#registry.apps.get(name)
      if (!app) throw new NotFoundError(name)
      return app
    }
    return {
      running: (name) => this.#registry.apps.get(name)?.spec,
      start: async (spec, source) => {
        try {
          await this.#startApp(spec, source, signal)
        } catch (error) {
          // a one-shot app (a migration) that ended with code 0 before it was seen online has done its job
          if (!(error instanceof ExitedError && error.exitCode === 0 && !spec.autorestart)) throw error
        }
      },
      replace: async (name, spec, source, how) => {
        const app = appOf(name)
        const previous = this.#membership.adopt(app, spec, source)
        await this.#triggers.disarm(name) // cron or watch may have changed; re-armed by the restart or reload
        try {
          const processes = [...app.processes]
          if (how === 'reload') await this.#reloadProcesses(app, processes, signal)
          else await this.#restartProcesses(app, processes, signal)
        } catch (error) {
          this.#membership.adopt(app, previous.spec, previous.source)
          throw error
        }
      },
      scale: (name, instances) => this.#membership.resize(appOf(name), instances, (resized) => this.#triggers.arm(resized), signal),
      delete: async (name) => {
        const app = appOf(name)
        await settleAll(app.processes.map((process) => process.stop('delete')))
        for (const process of [...app.processes]) await this.#membership.forget(app, process)
        this.#membership.removeApp(app)
        await this.#triggers.disarm(name)
      },
      processes: (name) => [...(this.#registry.apps.get(name)?.processes ?? [])],
    }
  }

  /** Sets an app's number of processes (see AppMembership.resize); resolves with its processes after. */
  scale(name: string, count: ScaleCount, signal?: AbortSignal): Promise<ManagedProcess[]> {
    return this.#queue.run(
      name,
      async () => {
        const app = this.#registry.apps.get(name)
        if (!app) throw new NotFoundError(name)
        const wanted = scaledCount(name, app.processes.length, count)
        await this.#membership.resize(app, wanted, (resized) => this.#triggers.arm(resized), signal)
        return [...app.processes]
      },
      signal,
    )
  }

  /** Stops processes and forgets them; an app with no process left is removed. */
  delete(target: Target, signal?: AbortSignal): Promise<ManagedProcess[]> {
    return runPlanned(this.#registry, this.#queue, target, signal, async (app, processes) => {
      await settleAll(processes.map((process) => process.stop('delete')))
      for (const process of processes) await this.#membership.forget(app, process)
      if (app.processes.length === 0) {
        this.#membership.removeApp(app)
        this.#sockets.release(app.spec.name)
        await this.#triggers.disarm(app.spec.name)
      }
    })
  }

  /** Signals each running process the target names; resolves with those that were running. */
  async signal(target: Target, name: NodeJS.Signals, signal?: AbortSignal): Promise<ManagedProcess[]> {
    const acted: ManagedProcess[] = []
    await runPlanned(this.#registry, this.#queue, target, signal, (_app, processes) => {
      for (const process of processes) if (process.signal(name)) acted.push(process)
      return Promise.resolve()
    })
    return acted
  }

  /** Sends an IPC message to each running process the target names; resolves with those that were running. */
  async send(target: Target, message: unknown, signal?: AbortSignal): Promise<ManagedProcess[]> {
    const acted: ManagedProcess[] = []
    await runPlanned(this.#registry, this.#queue, target, signal, async (_app, processes) => {
      await settleAll(
        processes.map(async (process) => {
          if (await process.send(message)) acted.push(process)
        }),
      )
    })
    return acted
  }

  /** Writes `line` and a newline to the stdin of each running process the target names; resolves with those written to. */
  async sendLine(target: Target, line: string, signal?: AbortSignal): Promise<ManagedProcess[]> {
    const acted: ManagedProcess[] = []
    await runPlanned(this.#registry, this.#queue, target, signal, (_app, processes) => {
      for (const process of processes) {
        const stdin = process.child?.stdin
        if (!stdin?.writable) continue
        stdin.write(`${line}\n`)
        acted.push(process)
      }
      return Promise.resolve()
    })
    return acted
  }

  /** Sets the restart counter of each process the target names back to 0 (PM2's `reset`). */
  reset(target: Target, signal?: AbortSignal): Promise<ManagedProcess[]> {
    return runPlanned(this.#registry, this.#queue, target, signal, (_app, processes) => {
      for (const process of processes) process.restarts = 0
      return Promise.resolve()
    })
  }

  /** Empties the log files (rotated files stay) and the lines in memory of the processes a target names. */
  flushLogs(target: Target, signal?: AbortSignal): Promise<ManagedProcess[]> {
    return runPlanned(this.#registry, this.#queue, target, signal, async (_app, processes) => {
      const ids = processes.map((process) => process.id)
      await this.#logs.truncate(ids)
      for (const id of ids) this.#output.forget(id)
    })
  }

  /**
   * Waits for the operations in flight, stops every process (dependents
   * before what they depend on: an API before its database), clears their
   * timers and closes the log files.
   */
  async close(): Promise<void> {
    await this.#queue.idle()
    const processes = this.#registry.all()
    for (const wave of dependentsFirst(processes)) await Promise.allSettled(wave.map((process) => process.stop('stop')))
    for (const process of processes) process.dispose()
    this.#sockets.close()
    await this.#logs.close()
  }
}
