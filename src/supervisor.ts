/**
 * The public facade: validates input, serializes operations per app and
 * delegates to the registry and the processes it holds.
 */
import eventemitter2 from 'eventemitter2'
import { TypedEmitter } from 'tiny-typed-emitter'
import { debuglog } from 'node:util'
import { ManagedProcess, type ProcessHost } from './core/managed-process.js'
import { AppMembership } from './core/app-membership.js'
import { EventHub } from './core/event-hub.js'
import { KeyedQueue, runPlanned } from './core/keyed-queue.js'
import { childEnv, Snapshots } from './core/snapshot.js'
import { Registry, type App } from './core/registry.js'
import { ClosedError, ExistsError, InvalidArgumentError, InvalidSpecError, NotFoundError } from './errors.js'
import type { OutputBlock } from './logs/line-framer.js'
import { LogManager } from './logs/log-manager.js'
import { OutputBuffer } from './logs/output-buffer.js'
import { MetricsSampler } from './metrics/sampler.js'
import { AppTriggers } from './triggers/app-triggers.js'
import { memoryOverLimit, TriggerRestarts } from './triggers/restart-trigger.js'
import { ClusterRunner } from './runners/cluster.js'
import { ForkRunner } from './runners/fork.js'
import type { Runner } from './runners/runner.js'
import { normalizeSpec } from './config/normalize.js'
import { applyApp, type AppliedApp, type ApplyOptions, type ApplyPort } from './apply/apply.js'
import type {
  AppSpec,
  LogLine,
  Mode,
  NormalizedSpec,
  OperationOptions,
  ProcessInfo,
  Status,
  SupervisorEvents,
  SupervisorOptions,
  Target,
} from './types.js'
import { settleAll, parseScale } from './util/settle.js'
import { redactValue } from './util/redact.js'

const debug = debuglog('tend')
// eventemitter2 is CommonJS: its module object is the class, with the class again as a property.
const { EventEmitter2 } = eventemitter2

export interface LogsOptions {
  /** How many of the newest lines. @default 100 */
  readonly lines?: number
}

/** One process's environment, as environment() reports it. */
export interface ProcessEnvironment {
  readonly id: number
  readonly name: string
  readonly instance: number
  /** Sorted by name; secret-looking values redacted. */
  readonly env: Readonly<Record<string, string>>
}

/** Options of restart() and reload(). */
export interface UpdateEnvOptions extends OperationOptions {
  /**
   * Variables merged over each app's `env` before its processes are
   * replaced, and kept for later runs: PM2's `--update-env` (the CLI sends
   * its own environment).
   */
  readonly env?: Readonly<Record<string, string>>
}

export interface WaitForOptions extends OperationOptions {
  /** Give up (rejecting with a TimeoutError DOMException) after this many ms. */
  readonly timeout?: number
}

export class Supervisor extends TypedEmitter<SupervisorEvents> implements AsyncDisposable {
  /** The same events on a wildcard bus (`bus.on('process:*', …)`, `bus.on('log:*', …)`). */
  readonly bus = new EventEmitter2({ wildcard: true, delimiter: ':', maxListeners: 100 })

  readonly #options: SupervisorOptions
  readonly #registry = new Registry()
  readonly #queue = new KeyedQueue()
  readonly #output: OutputBuffer
  readonly #logs: LogManager<ManagedProcess>
  readonly #host: ProcessHost
  readonly #membership: AppMembership
  readonly #snapshots = new Snapshots()
  readonly #events: EventHub
  readonly #sampler: MetricsSampler<ManagedProcess>
  readonly #triggerRestarts = new TriggerRestarts({
    queue: this.#queue,
    registry: this.#registry,
    isClosing: () => this.#closing !== null,
  })
  readonly #triggers = new AppTriggers((app, reason) => this.#triggerRestarts.request(app, reason))
  #closing: Promise<void> | null = null

  constructor(options: SupervisorOptions = {}) {
    super()
    this.#events = new EventHub(this, this.bus)
    const metricsInterval = options.metricsInterval ?? 1000
    if (!Number.isInteger(metricsInterval) || metricsInterval < 0) {
      throw new InvalidArgumentError('metricsInterval', 'metricsInterval must be an integer ≥ 0 (ms; 0 turns sampling off)')
    }
    this.#sampler = new MetricsSampler({
      interval: metricsInterval,
      processes: () => this.#registry.all(),
      onSample: (sample, measured) => {
        if (this.#events.has('metrics')) this.#events.emit('metrics', sample)
        for (const process of measured) {
          if (memoryOverLimit(process)) this.#triggerRestarts.request(process.spec.name, 'memory', process)
        }
      },
    })
    this.#sampler.start() // unref'd, and a tick with nothing running does nothing
    const lines = options.logBufferLines ?? 1000
    if (!Number.isInteger(lines) || lines < 0) throw new InvalidArgumentError('logBufferLines', 'logBufferLines must be an integer ≥ 0')
    this.#options = { ...options }
    this.#output = new OutputBuffer(lines)
    this.#logs = new LogManager(
      options.home,
      (process, stream, block) => this.#onOutput(process, stream, block),
      (app, path, error) => {
        const { code } = error as NodeJS.ErrnoException
        this.#events.emit('logfile:error', { app, path, error: { message: error.message, ...(code ? { code } : {}) }, at: Date.now() })
      },
    )
    const runners: Record<Mode, Runner> = { fork: new ForkRunner(), cluster: new ClusterRunner() }
    this.#host = {
      // The one place the mode is looked at: everything after goes through the Runner interface.
      runnerFor: (spec) => runners[spec.mode],
      emit: (event, payload) => this.#events.emit(event, payload),
      hasListeners: (event) => this.#events.has(event),
      childEnv: (spec, instance) => childEnv(this.#options.env ?? process.env, spec, instance),
      captureOutput: (process, stream, readable) => this.#logs.capture(process, stream, readable),
      info: (process) => this.#info(process),
    }
    this.#membership = new AppMembership({ registry: this.#registry, host: this.#host, logs: this.#logs, output: this.#output })
  }

  // ------------------------------------------------------------ events

  /**
   * The lines of one read of a child's output. Events go out synchronously
   * and only when someone listens, one ProcessInfo shared by the lines of a
   * read; nothing is queued for a listener, so a slow one slows the reading
   * (and, through the pipe, the child) instead of growing memory.
   */
  #onOutput(process: ManagedProcess, stream: 'out' | 'err', block: OutputBlock): void {
    const event = stream === 'out' ? 'log:out' : 'log:err'
    const listened = this.#events.has(event)
    // decoded only when someone listens; otherwise the buffer decodes if logs() asks
    if (listened) void block.lines
    this.#output.pushBlock(process.id, process.spec.name, stream, block)
    if (!listened) return
    const info = this.#info(process)
    const { at } = block
    for (const line of block.lines) this.#events.emit(event, { process: info, line, at })
  }

  // ------------------------------------------------------------ helpers

  #info(process: ManagedProcess): ProcessInfo {
    return this.#snapshots.of(process, this.#logs.filesOf(process.id))
  }

  #assertOpen(): void {
    if (this.#closing) throw new ClosedError()
  }

  /**
   * Runs `task` for each app the target names, under that app's lock, with
   * the app's processes the target names as they are at the task's turn.
   * Apps proceed in parallel; the first failure rejects once all settled.
   */
  async #each(
    target: Target,
    options: OperationOptions | undefined,
    task: (app: App, processes: ManagedProcess[]) => Promise<void>,
  ): Promise<ProcessInfo[]> {
    this.#assertOpen()
    options?.signal?.throwIfAborted()
    const processes = await runPlanned(this.#registry, this.#queue, target, options?.signal, task)
    return processes.map((process) => this.#info(process))
  }

  // ------------------------------------------------------------ public API

  /**
   * Registers and launches apps; resolves when every instance is online.
   * Rejects with InvalidSpecError before anything changes when a spec is bad,
   * with ExistsError for a name already registered, and with the process's
   * error (SpawnError, ReadyTimeoutError, CrashLoopError…) when an instance
   * cannot come online; such a process stays listed, errored.
   */
  async start(specs: AppSpec | readonly AppSpec[], options?: OperationOptions): Promise<ProcessInfo[]> {
    this.#assertOpen()
    options?.signal?.throwIfAborted()
    const list: readonly unknown[] = Array.isArray(specs) ? specs : [specs]
    if (list.length === 0) throw new InvalidSpecError('start() needs at least one app spec')
    const context = { env: this.#options.env ?? process.env, baseCwd: process.cwd() }
    const normalized = list.map((spec) => normalizeSpec(spec, context))
    const names = new Set<string>()
    for (const spec of normalized) {
      if (names.has(spec.name)) throw new InvalidSpecError(`Two specs are named "${spec.name}"`, { option: 'name', app: spec.name })
      names.add(spec.name)
    }
    const results = await Promise.allSettled(
      normalized.map((spec, index) =>
        this.#queue.run(spec.name, () => this.#startApp(spec, list[index] as AppSpec, options?.signal), options?.signal),
      ),
    )
    const failed = results.find((result) => result.status === 'rejected')
    if (failed) throw failed.reason
    return results.flatMap((result) => (result.status === 'fulfilled' ? result.value : []))
  }

  async #startApp(spec: NormalizedSpec, source: AppSpec, signal: AbortSignal | undefined): Promise<ProcessInfo[]> {
    if (this.#registry.apps.has(spec.name)) throw new ExistsError(spec.name)
    const app = await this.#membership.createApp(spec, source)
    debug('start %s (%d instances)', spec.name, spec.instances)
    if (spec.autostart) {
      for (const process of app.processes) process.launch()
      await this.#armTriggers(app)
      await settleAll(app.processes.map((process) => process.untilOnline(signal)))
    }
    return app.processes.map((process) => this.#info(process))
  }

  /** A snapshot of every process, by id. */
  list(): ProcessInfo[] {
    return this.#registry.all().map((process) => this.#info(process))
  }

  /**
   * Every app's spec as it was given to start(), unredacted, with `name`,
   * `cwd` made absolute and `instances` set to the current number of
   * processes: what it takes to start the same apps again (the daemon's
   * `save` writes these). Holds secrets; not for display.
   */
  appSpecs(): AppSpec[] {
    return this.#membership.specs()
  }

  /** A snapshot of the processes a target names. Throws NotFoundError when it names none. */
  describe(target: Target): ProcessInfo[] {
    return this.#registry.processesOf(target).map((process) => this.#info(process))
  }

  /**
   * The complete environment each process the target names runs with (its
   * next run, for one that is not running): the Supervisor's `env` option
   * (the daemon's: only what `inheritEnv` names), the spec's `env` (from the
   * CLI: its own environment with the file's over it), and tend's own
   * variables (`instanceVar`, `incrementVar`). Secret-looking values redacted.
   */
  environment(target: Target): ProcessEnvironment[] {
    return this.#registry.processesOf(target).map((process) => {
      const env: Record<string, string> = {}
      const full = this.#host.childEnv(process.spec, process.instance)
      for (const key of Object.keys(full).sort()) env[key] = redactValue(key, full[key]!)
      return { id: process.id, name: process.spec.name, instance: process.instance, env }
    })
  }

  /** Stops processes gracefully (killSignal, then SIGKILL after killTimeout). They stay listed, stopped. */
  stop(target: Target, options?: OperationOptions): Promise<ProcessInfo[]> {
    return this.#each(target, options, async (app, processes) => {
      await settleAll(processes.map((process) => process.stop('stop')))
      // what they printed up to their exit is in their files when stop() resolves
      await this.#logs.settle(processes.map((process) => process.id))
      if (app.processes.every((process) => process.status === 'stopped')) await this.#triggers.disarm(app.spec.name)
    })
  }

  /**
   * Restarts processes (starting stopped ones) one at a time, each online
   * before the next, so an app with two or more keeps serving. Clears the
   * crash history.
   */
  restart(target: Target, options?: UpdateEnvOptions): Promise<ProcessInfo[]> {
    return this.#each(target, options, (app, processes) => {
      this.#updateEnv(app, options?.env)
      return this.#restartProcesses(app, processes, options?.signal)
    })
  }

  /** PM2's `--update-env`: `env` over the app's own, for this and every later run. */
  #updateEnv(app: App, env: UpdateEnvOptions['env']): void {
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

  async #restartProcesses(app: App, processes: readonly ManagedProcess[], signal: AbortSignal | undefined): Promise<void> {
    await this.#armTriggers(app)
    for (const process of processes) {
      await process.restart('restart')
      await process.untilOnline(signal)
    }
  }

  /**
   * Zero-downtime reload, one process at a time: start the replacement, wait
   * until it is ready, then stop the old one gracefully. When a replacement
   * fails, the old process keeps serving, the processes after it are left
   * as they were, and reload rejects with the replacement's error.
   */
  reload(target: Target, options?: UpdateEnvOptions): Promise<ProcessInfo[]> {
    return this.#each(target, options, (app, processes) => {
      this.#updateEnv(app, options?.env)
      return this.#reloadProcesses(app, processes, options?.signal)
    })
  }

  async #reloadProcesses(app: App, processes: readonly ManagedProcess[], signal: AbortSignal | undefined): Promise<void> {
    await this.#armTriggers(app) // a reload starts stopped processes too
    // The next replacement starts while the previous old process drains.
    const retiring: Promise<void>[] = []
    try {
      for (const process of processes) {
        signal?.throwIfAborted()
        const { retired } = await process.reload()
        retired.catch(() => undefined) // awaited below, with the others; a failure rejects the reload there
        retiring.push(retired)
      }
    } finally {
      await Promise.all(retiring)
    }
  }

  /**
   * Makes `specs` the desired state: per app, a diff against what runs, then
   * the least change. New apps start; changed ones reload (cluster to
   * cluster) or restart (anything else) one process at a time with the new
   * spec and environment (a key gone from `env` is gone from the processes);
   * a changed `instances` scales; unchanged apps are left alone (same pids).
   * With `prune`, running apps the specs do not name are deleted. With
   * `dryRun`, nothing changes. Rejects with InvalidSpecError before anything
   * changes when a spec is bad; otherwise resolves with one entry per app,
   * a failed step reported in its entry's `error` (the other apps go ahead).
   */
  async apply(specs: AppSpec | readonly AppSpec[], options: ApplyOptions = {}): Promise<AppliedApp[]> {
    this.#assertOpen()
    options.signal?.throwIfAborted()
    const list: readonly unknown[] = Array.isArray(specs) ? specs : [specs]
    const context = { env: this.#options.env ?? process.env, baseCwd: process.cwd() }
    const desired = new Map<string, { spec: NormalizedSpec; source: AppSpec }>()
    for (const source of list) {
      const spec = normalizeSpec(source, context)
      if (desired.has(spec.name)) throw new InvalidSpecError(`Two specs are named "${spec.name}"`, { option: 'name', app: spec.name })
      desired.set(spec.name, { spec, source: source as AppSpec })
    }
    const names = [...desired.keys(), ...[...this.#registry.apps.keys()].filter((name) => !desired.has(name))]
    const flags = { prune: options.prune === true, dryRun: options.dryRun === true }
    const port = this.#applyPort(options.signal)
    if (flags.dryRun) return Promise.all(names.map((name) => applyApp(name, desired.get(name), port, flags)))
    return Promise.all(names.map((name) => this.#queue.run(name, () => applyApp(name, desired.get(name), port, flags), options.signal)))
  }

  /** What apply() needs, each step already under the app's lock. */
  #applyPort(signal: AbortSignal | undefined): ApplyPort {
    const appOf = (name: string): App => {
      const app = this.#registry.apps.get(name)
      if (!app) throw new NotFoundError(name)
      return app
    }
    return {
      running: (name) => this.#registry.apps.get(name)?.spec,
      start: async (spec, source) => void (await this.#startApp(spec, source, signal)),
      replace: async (name, spec, source, how) => {
        const app = appOf(name)
        const previous = this.#membership.adopt(app, spec, source)
        await this.#triggers.disarm(name) // cron or watch may have changed
        try {
          const processes = [...app.processes]
          if (how === 'reload') await this.#reloadProcesses(app, processes, signal)
          else await this.#restartProcesses(app, processes, signal)
        } catch (error) {
          this.#membership.adopt(app, previous.spec, previous.source)
          throw error
        }
      },
      scale: (name, instances) => this.#membership.resize(appOf(name), instances, (resized) => this.#armTriggers(resized), signal),
      delete: async (name) => {
        const app = appOf(name)
        await settleAll(app.processes.map((process) => process.stop('delete')))
        for (const process of [...app.processes]) await this.#membership.forget(app, process)
        this.#membership.removeApp(app)
        await this.#triggers.disarm(name)
      },
      processes: (name) => (this.#registry.apps.get(name)?.processes ?? []).map((process) => this.#info(process)),
    }
  }

  /**
   * Sets an app's number of processes: `n`, or `'+n'` / `'-n'` relative to
   * now. New processes take the lowest free instance indexes and start in
   * parallel; removed ones are the highest indexes, stopped gracefully.
   * Resolves with the app's processes after the change.
   */
  async scale(name: string, count: number | string, options?: OperationOptions): Promise<ProcessInfo[]> {
    this.#assertOpen()
    options?.signal?.throwIfAborted()
    const parsed = parseScale(count)
    if (typeof name !== 'string') throw new NotFoundError(name)
    return this.#queue.run(
      name,
      async () => {
        const app = this.#registry.apps.get(name)
        if (!app) throw new NotFoundError(name)
        const current = app.processes.length
        const wanted = parsed.relative ? current + parsed.value : parsed.value
        if (!Number.isInteger(wanted) || wanted < 0) {
          throw new InvalidArgumentError('count', `Cannot scale "${name}" from ${current} to ${wanted} processes`)
        }
        await this.#membership.resize(app, wanted, (resized) => this.#armTriggers(resized), options?.signal)
        return app.processes.map((process) => this.#info(process))
      },
      options?.signal,
    )
  }

  /** Cron and watch for the app; the watcher ignores the app's own log files. */
  #armTriggers(app: App): Promise<void> {
    const files = app.processes.flatMap((process) => Object.values(this.#info(process).logFiles) as string[])
    return this.#triggers.arm(app.spec, files)
  }

  /** Stops processes and forgets them; an app with no process left is removed. */
  delete(target: Target, options?: OperationOptions): Promise<ProcessInfo[]> {
    return this.#each(target, options, async (app, processes) => {
      await settleAll(processes.map((process) => process.stop('delete')))
      for (const process of processes) await this.#membership.forget(app, process)
      if (app.processes.length === 0) {
        this.#membership.removeApp(app)
        await this.#triggers.disarm(app.spec.name)
      }
    })
  }

  /** Sends a signal to each running process the target names (the process itself, not its group). */
  async signal(target: Target, signal: NodeJS.Signals, options?: OperationOptions): Promise<ProcessInfo[]> {
    if (typeof signal !== 'string' || !/^SIG[A-Z0-9]+$/.test(signal)) {
      throw new InvalidArgumentError('signal', `Expected a signal name such as 'SIGUSR2', got ${String(signal)}`)
    }
    const acted: ManagedProcess[] = []
    await this.#each(target, options, (_app, processes) => {
      for (const process of processes) if (process.signal(signal)) acted.push(process)
      return Promise.resolve()
    })
    return acted.map((process) => this.#info(process))
  }

  /** Sends an IPC message to each running process the target names. */
  async send(target: Target, message: unknown, options?: OperationOptions): Promise<ProcessInfo[]> {
    const acted: ManagedProcess[] = []
    await this.#each(target, options, async (_app, processes) => {
      await settleAll(
        processes.map(async (process) => {
          if (await process.send(message)) acted.push(process)
        }),
      )
    })
    return acted.map((process) => this.#info(process))
  }

  /** The newest lines of output of the processes a target names, oldest first, from memory. */
  logs(target: Target = 'all', options: LogsOptions = {}): LogLine[] {
    const lines = options.lines ?? 100
    if (!Number.isInteger(lines) || lines < 0)
      throw new InvalidArgumentError('lines', `Expected an integer ≥ 0 for lines, got ${String(lines)}`)
    return this.#output.recent(
      this.#registry.processesOf(target).map((process) => process.id),
      lines,
    )
  }

  /**
   * Empties the log files of the processes a target names (rotated files
   * stay) and their lines in memory, in turn with the app's other operations.
   */
  flushLogs(target: Target = 'all', options?: OperationOptions): Promise<ProcessInfo[]> {
    return this.#each(target, options, async (_app, processes) => {
      const ids = processes.map((process) => process.id)
      await this.#logs.truncate(ids)
      for (const id of ids) this.#output.forget(id)
    })
  }

  /**
   * Closes and reopens every log file by its path, for an external logrotate
   * that renamed them (the daemon does this on SIGUSR2). Lines written
   * meanwhile go to the new files; none is lost.
   */
  async reopenLogs(options?: OperationOptions): Promise<void> {
    this.#assertOpen()
    options?.signal?.throwIfAborted()
    await this.#logs.reopen()
  }

  /** Resolves when every process the target names has `status` (at once if they already have). */
  async waitFor(target: Target, status: Status, options: WaitForOptions = {}): Promise<ProcessInfo[]> {
    const timeout = options.timeout === undefined ? undefined : AbortSignal.timeout(options.timeout)
    const signal = options.signal && timeout ? AbortSignal.any([options.signal, timeout]) : (options.signal ?? timeout)
    const processes = this.#registry.processesOf(target)
    await Promise.all(processes.map((process) => process.waitUntil(() => process.status === status, signal)))
    return processes.map((process) => this.#info(process))
  }

  /**
   * Stops every process gracefully, waits for operations in flight, and
   * clears every timer. Idempotent: later calls return the same promise.
   */
  close(): Promise<void> {
    this.#closing ??= (async () => {
      this.#sampler.close()
      await this.#triggers.close()
      await this.#queue.idle()
      const processes = this.#registry.all()
      await Promise.allSettled(processes.map((process) => process.stop('stop')))
      for (const process of processes) process.dispose()
      await this.#logs.close()
    })()
    return this.#closing
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close()
  }
}
