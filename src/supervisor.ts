/**
 * The public facade: each method validates its input and delegates, to the
 * app operations (src/core/app-operations.ts) for anything that acts on
 * processes, to the registry for snapshots. The constructor wires the parts.
 */
import eventemitter2, { type EventEmitter2 as WildcardBus } from 'eventemitter2'
import { TypedEmitter } from 'tiny-typed-emitter'
import { AppMembership } from './core/app-membership.js'
import { AppOperations } from './core/app-operations.js'
import { EventHub } from './core/event-hub.js'
import { KeyedQueue } from './core/keyed-queue.js'
import type { ManagedProcess, ProcessHost } from './core/managed-process.js'
import { Registry, type App } from './core/registry.js'
import { parseScale } from './core/scale.js'
import { Snapshots } from './core/snapshot.js'
import { checkDependencies, dependentsFirst, startInOrder, type DependencyPort } from './deps/ordered-start.js'
import { registryDependencyPort } from './deps/registry-port.js'
import { ClosedError, InvalidArgumentError, InvalidSpecError } from './errors.js'
import type { OutputBlock } from './logs/line-framer.js'
import { LogManager } from './logs/log-manager.js'
import { OutputBuffer } from './logs/output-buffer.js'
import { MetricsSampler } from './metrics/sampler.js'
import { AppTriggers } from './triggers/app-triggers.js'
import { MemoryTrigger } from './triggers/memory.js'
import { TriggerRestarts } from './triggers/restart-trigger.js'
import { childEnv } from './runners/child-env.js'
import { ClusterRunner } from './runners/cluster.js'
import { ForkRunner } from './runners/fork.js'
import type { Runner } from './runners/runner.js'
import { normalizeSpec } from './config/normalize.js'
import type { AppliedApp, ApplyOptions, Desired } from './apply/apply.js'
import { AppSdk } from './app-metrics/app-sdk.js'
import type { ActionOutcome, InvokeOptions, ProcessMetrics } from './app-metrics/types.js'
import { HeldSockets } from './sockets/held-sockets.js'
import { normalizeGroups } from './groups/group-options.js'
import { GroupSupervisor } from './groups/group-supervisor.js'
import type {
  AppSpec,
  GroupInfo,
  GroupSpec,
  LogLine,
  Mode,
  NormalizedSpec,
  OperationOptions,
  ProcessDescription,
  ProcessInfo,
  Status,
  SupervisorEvents,
  SupervisorOptions,
  Target,
} from './types.js'
import { redactValue } from './util/redact.js'

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
  readonly bus: WildcardBus = new EventEmitter2({ wildcard: true, delimiter: ':', maxListeners: 100 })

  readonly #options: SupervisorOptions
  readonly #registry = new Registry()
  readonly #queue = new KeyedQueue()
  readonly #output: OutputBuffer
  readonly #logs: LogManager<ManagedProcess>
  readonly #snapshots = new Snapshots()
  readonly #events: EventHub
  readonly #sampler: MetricsSampler<ManagedProcess>
  readonly #membership: AppMembership
  readonly #operations: AppOperations
  readonly #triggers: AppTriggers
  /** tendjs/app's (and @pm2/io's) metrics and actions, taken off the children's channels. */
  readonly #appSdk = new AppSdk((id, problem) => {
    const process = this.#registry.all().find((one) => one.id === id)
    if (process && this.#events.has('process:metric-invalid')) {
      this.#events.emit('process:metric-invalid', { process: this.#info(process), at: Date.now(), ...problem })
    }
  })
  /** The sockets of apps with `listen`, bound before their first instance and handed to each. */
  readonly #sockets = new HeldSockets()
  /** Supervision groups: their strategies act on a member's unexpected exit. */
  readonly #groups: GroupSupervisor
  #closing: Promise<void> | null = null

  constructor(options: SupervisorOptions = {}) {
    super()
    const metricsInterval = options.metricsInterval ?? 1000
    if (!Number.isInteger(metricsInterval) || metricsInterval < 0) {
      throw new InvalidArgumentError('metricsInterval', 'metricsInterval must be an integer ≥ 0 (ms; 0 turns sampling off)')
    }
    const lines = options.logBufferLines ?? 1000
    if (!Number.isInteger(lines) || lines < 0) throw new InvalidArgumentError('logBufferLines', 'logBufferLines must be an integer ≥ 0')
    const groups = normalizeGroups(options.groups)
    this.#options = { ...options }
    this.#events = new EventHub(this, this.bus)
    this.#output = new OutputBuffer(lines)
    this.#logs = new LogManager(
      options.home,
      (process, stream, block) => this.#onOutput(process, stream, block),
      (app, path, error) => {
        const { code } = error as NodeJS.ErrnoException
        this.#events.emit('logfile:error', { app, path, error: { message: error.message, ...(code ? { code } : {}) }, at: Date.now() })
      },
    )
    const runners: Record<Mode, Runner> = {
      fork: this.#appSdk.wrap(new ForkRunner((app) => this.#sockets.of(app))),
      cluster: this.#appSdk.wrap(new ClusterRunner()),
    }
    const host: ProcessHost = {
      // The one place the mode is looked at: everything after goes through the Runner interface.
      runnerFor: (spec) => runners[spec.mode],
      emit: (event, payload) => this.#events.emit(event, payload),
      hasListeners: (event) => this.#events.has(event),
      childEnv: (spec, instance) => childEnv(this.#options.env ?? process.env, spec, instance),
      captureOutput: (process, stream, readable) => this.#logs.capture(process, stream, readable),
      info: (process) => this.#info(process),
      onUnexpectedExit: (process, exit) => this.#groups.onUnexpectedExit(process, exit),
    }
    const restarts = new TriggerRestarts({ queue: this.#queue, registry: this.#registry, isClosing: () => this.#closing !== null })
    this.#triggers = new AppTriggers((app, reason) => void restarts.request(app, reason))
    const memory = new MemoryTrigger<ManagedProcess>((process) => restarts.request(process.spec.name, 'memory', process))
    this.#sampler = new MetricsSampler({
      interval: metricsInterval,
      processes: () => this.#registry.all(),
      onSample: (sample, measured) => {
        if (this.#events.has('metrics')) this.#events.emit('metrics', sample)
        memory.check(measured)
      },
    })
    this.#sampler.start() // unref'd, and a tick with nothing running does nothing
    this.#membership = new AppMembership({ registry: this.#registry, host, logs: this.#logs, output: this.#output })
    this.#operations = new AppOperations({
      registry: this.#registry,
      queue: this.#queue,
      membership: this.#membership,
      logs: this.#logs,
      output: this.#output,
      triggers: { arm: (app) => this.#armTriggers(app), disarm: (name) => this.#triggers.disarm(name) },
      sockets: this.#sockets,
    })
    this.#groups = new GroupSupervisor({
      registry: this.#registry,
      queue: this.#queue,
      emit: (event, payload) => this.#events.emit(event, payload),
      hasListeners: (event) => this.#events.has(event),
      info: (process) => this.#info(process),
    })
    this.#groups.define(groups)
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

  /** Cron and watch for the app; the watcher ignores the app's own log files. */
  #armTriggers(app: App): Promise<void> {
    const files = app.processes.flatMap((process) => Object.values(this.#logs.filesOf(process.id)) as string[])
    return this.#triggers.arm(app.spec, files)
  }

  // ------------------------------------------------------------ helpers

  #info(process: ManagedProcess): ProcessInfo {
    return this.#snapshots.of(process, this.#logs.filesOf(process.id), this.#sockets.infoOf(process.spec.name))
  }

  #infos(processes: readonly ManagedProcess[]): ProcessInfo[] {
    return processes.map((process) => this.#info(process))
  }

  /** The checks every operation starts with: not closing, not aborted. */
  #admit(options: OperationOptions | undefined): AbortSignal | undefined {
    if (this.#closing) throw new ClosedError()
    options?.signal?.throwIfAborted()
    return options?.signal
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
    const signal = this.#admit(options)
    if (Array.isArray(specs) && specs.length === 0) throw new InvalidSpecError('start() needs at least one app spec')
    const apps = this.#normalizeAll(specs)
    this.#groups.check(apps.map(({ spec }) => spec))
    if (apps.every(({ spec }) => Object.keys(spec.dependsOn).length === 0)) return this.#infos(await this.#operations.start(apps, signal))
    return startInOrder(apps, {
      start: async (app) => this.#infos(await this.#operations.start([app], signal)),
      ...this.#dependencyPort(signal),
    })
  }

  /** What running a set of apps in dependency order (src/deps/ordered-start.ts) asks of the registry and the events. */
  #dependencyPort(signal: AbortSignal | undefined): DependencyPort {
    return registryDependencyPort(this.#registry, this, (processes) => this.#infos(processes), signal)
  }

  /** Normalizes each spec (InvalidSpecError for a bad one, or for two with one name), keeping what was given. */
  #normalizeAll(specs: unknown): { spec: NormalizedSpec; source: AppSpec }[] {
    const list: readonly unknown[] = Array.isArray(specs) ? specs : [specs]
    const context = { env: this.#options.env ?? process.env, baseCwd: process.cwd() }
    const names = new Set<string>()
    return list.map((source) => {
      const spec = normalizeSpec(source, context)
      if (names.has(spec.name)) throw new InvalidSpecError(`Two specs are named "${spec.name}"`, { option: 'name', app: spec.name })
      names.add(spec.name)
      return { spec, source: source as AppSpec }
    })
  }

  /** A snapshot of every process, by id. */
  list(): ProcessInfo[] {
    return this.#infos(this.#registry.all())
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

  /**
   * A snapshot of the processes a target names, each with its app's spec
   * (redacted; `list()` and the events leave the spec out). Throws
   * NotFoundError when it names none.
   */
  describe(target: Target): ProcessDescription[] {
    return this.#registry
      .processesOf(target)
      .map((process) => this.#snapshots.described(process, this.#logs.filesOf(process.id), this.#sockets.infoOf(process.spec.name)))
  }

  /**
   * The complete environment each process the target names runs with (its
   * next run, for one that is not running): the Supervisor's `env` option
   * (the daemon's: only what `inheritEnv` names), the spec's `env` (from the
   * CLI: its own environment with the file's over it), and tend's own
   * variables (`instanceVar`, `incrementVar`). Secret-looking values redacted.
   */
  environment(target: Target): ProcessEnvironment[] {
    const base = this.#options.env ?? process.env
    return this.#registry.processesOf(target).map((managed) => {
      const env: Record<string, string> = {}
      const full = childEnv(base, managed.spec, managed.instance)
      for (const key of Object.keys(full).sort()) env[key] = redactValue(key, full[key]!)
      return { id: managed.id, name: managed.spec.name, instance: managed.instance, env }
    })
  }

  /** Stops processes gracefully (killSignal, then SIGKILL after killTimeout). They stay listed, stopped. */
  async stop(target: Target, options?: OperationOptions): Promise<ProcessInfo[]> {
    const signal = this.#admit(options)
    return this.#dependentsFirst(target, (part) => this.#operations.stop(part, signal))
  }

  /** Runs `operation` on the target's processes, dependents before what they depend on (dependsOn), one group after the other. */
  async #dependentsFirst(target: Target, operation: (target: Target) => Promise<ManagedProcess[]>): Promise<ProcessInfo[]> {
    let processes: ManagedProcess[]
    try {
      processes = this.#registry.processesOf(target)
    } catch {
      return this.#infos(await operation(target)) // it may name an app still being started: resolved at the operation's turn
    }
    const groups = dependentsFirst(processes)
    if (groups.length === 1) return this.#infos(await operation(target))
    const done: ManagedProcess[] = []
    for (const group of groups) done.push(...(await operation(group.map((process) => process.id))))
    return this.#infos(done)
  }

  /**
   * Restarts processes (starting stopped ones) one at a time, each online
   * before the next, so an app with two or more keeps serving. Clears the
   * crash history.
   */
  async restart(target: Target, options?: UpdateEnvOptions): Promise<ProcessInfo[]> {
    const signal = this.#admit(options)
    return this.#infos(await this.#operations.restart(target, signal, options?.env))
  }

  /**
   * Zero-downtime reload, one process at a time: start the replacement, wait
   * until it is ready, then stop the old one gracefully. When a replacement
   * fails, the old process keeps serving, the processes after it are left
   * as they were, and reload rejects with the replacement's error.
   */
  async reload(target: Target, options?: UpdateEnvOptions): Promise<ProcessInfo[]> {
    const signal = this.#admit(options)
    return this.#infos(await this.#operations.reload(target, signal, options?.env))
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
    const signal = this.#admit(options)
    const desired = new Map<string, Desired>(this.#normalizeAll(specs).map((app) => [app.spec.name, app]))
    checkDependencies(
      [...desired.values()].map(({ spec }) => spec),
      (name) => this.#registry.apps.has(name),
    )
    // a dry run starts nothing, and the CLI declares a file's groups only when it applies for real
    if (options.dryRun !== true) this.#groups.check([...desired.values()].map(({ spec }) => spec))
    const names = [...desired.keys(), ...[...this.#registry.apps.keys()].filter((name) => !desired.has(name))]
    const flags = { prune: options.prune === true, dryRun: options.dryRun === true }
    const results = await this.#operations.apply(names, desired, flags, this.#dependencyPort(signal), signal)
    return results.map((result) => ({ ...result, processes: this.#infos(result.processes) }))
  }

  /**
   * Sets an app's number of processes: `n`, or `'+n'` / `'-n'` relative to
   * now. New processes take the lowest free instance indexes and start in
   * parallel; removed ones are the highest indexes, stopped gracefully.
   * Resolves with the app's processes after the change.
   */
  async scale(name: string, count: number | string, options?: OperationOptions): Promise<ProcessInfo[]> {
    const signal = this.#admit(options)
    if (typeof name !== 'string') throw new InvalidArgumentError('name', `Expected an app name, got ${String(name)}`)
    const parsed = parseScale(count)
    return this.#infos(await this.#operations.scale(name, parsed, signal))
  }

  /** Stops processes and forgets them; an app with no process left is removed. */
  async delete(target: Target, options?: OperationOptions): Promise<ProcessInfo[]> {
    const signal = this.#admit(options)
    return this.#dependentsFirst(target, (part) => this.#operations.delete(part, signal))
  }

  /** Sends a signal to each running process the target names (the process itself, not its group). */
  async signal(target: Target, signal: NodeJS.Signals, options?: OperationOptions): Promise<ProcessInfo[]> {
    if (typeof signal !== 'string' || !/^SIG[A-Z0-9]+$/.test(signal)) {
      throw new InvalidArgumentError('signal', `Expected a signal name such as 'SIGUSR2', got ${String(signal)}`)
    }
    const abort = this.#admit(options)
    return this.#infos(await this.#operations.signal(target, signal, abort))
  }

  /** Sends an IPC message to each running process the target names. */
  async send(target: Target, message: unknown, options?: OperationOptions): Promise<ProcessInfo[]> {
    const signal = this.#admit(options)
    return this.#infos(await this.#operations.send(target, message, signal))
  }

  /**
   * Writes `line` and a newline to the stdin of each running process the
   * target names (PM2's `send <id> <line>`). Resolves with the processes
   * written to once the line is queued on each pipe: a child that does not
   * read its stdin never holds up its app's other operations.
   */
  async sendLine(target: Target, line: string, options?: OperationOptions): Promise<ProcessInfo[]> {
    if (typeof line !== 'string') throw new InvalidArgumentError('line', `Expected a string for line, got ${typeof line}`)
    const signal = this.#admit(options)
    return this.#infos(await this.#operations.sendLine(target, line, signal))
  }

  /** Sets the restart counter of each process the target names back to 0 (PM2's `reset`); the crash-loop history is the policy's and stays. */
  async reset(target: Target, options?: OperationOptions): Promise<ProcessInfo[]> {
    const signal = this.#admit(options)
    return this.#infos(await this.#operations.reset(target, signal))
  }

  /** The newest lines of output of the processes a target names, oldest first, from memory. */
  logs(target: Target = 'all', options: LogsOptions = {}): LogLine[] {
    const lines = options.lines ?? 100
    if (!Number.isInteger(lines) || lines < 0) {
      throw new InvalidArgumentError('lines', `Expected an integer ≥ 0 for lines, got ${String(lines)}`)
    }
    const ids = this.#registry.processesOf(target).map((process) => process.id)
    return this.#output.recent(ids, lines)
  }

  /**
   * Empties the log files of the processes a target names (rotated files
   * stay) and their lines in memory, in turn with the app's other operations.
   */
  async flushLogs(target: Target = 'all', options?: OperationOptions): Promise<ProcessInfo[]> {
    const signal = this.#admit(options)
    return this.#infos(await this.#operations.flushLogs(target, signal))
  }

  /**
   * Closes and reopens every log file by its path, for an external logrotate
   * that renamed them (the daemon does this on SIGUSR2). Lines written
   * meanwhile go to the new files; none is lost.
   */
  async reopenLogs(options?: OperationOptions): Promise<void> {
    this.#admit(options)
    await this.#logs.reopen()
  }

  /** The custom metrics and actions of the processes a target names (every process by default), as each last reported them. */
  metrics(target: Target = 'all'): ProcessMetrics[] {
    return this.#appSdk.metrics(this.#registry.processesOf(target))
  }

  /**
   * The Prometheus exposition text: tend's own figures per process, then the
   * custom metrics, per instance (labels app, instance, id) and combined per
   * app (label app). See docs/app-sdk.md.
   */
  prometheus(): Promise<string> {
    return this.#appSdk.prometheus(this.list())
  }

  /**
   * Runs an action registered in the app (tendjs/app, @pm2/io or tx2) in
   * each process the target names, at once (not in turn with the app's other
   * operations). Resolves with one outcome per process, like
   * Promise.allSettled: `rejected` ones hold an ActionUnknownError,
   * ActionTimeoutError or ActionFailedError.
   */
  async invoke(target: Target, action: string, params?: unknown, options?: InvokeOptions): Promise<ActionOutcome[]> {
    this.#admit(options)
    return await this.#appSdk.invoke(this.#registry.processesOf(target), action, params, options)
  }

  /**
   * Declares supervision groups (or changes ones declared before) that apps
   * name with `group`: `{ backend: { strategy: 'one_for_all', maxRestarts: 5,
   * period: '60s' } }`. Throws InvalidSpecError naming the field of a bad
   * declaration, having declared none of them. Returns every group.
   */
  defineGroups(groups: Readonly<Record<string, GroupSpec>>): GroupInfo[] {
    this.#admit(undefined)
    this.#groups.define(normalizeGroups(groups))
    return this.#groups.infos()
  }

  /** Every supervision group: its declaration, its member apps in strategy order, its recent restarts and status. */
  groups(): GroupInfo[] {
    return this.#groups.infos()
  }

  /** Resolves when every process the target names has `status` (at once if they already have). */
  async waitFor(target: Target, status: Status, options: WaitForOptions = {}): Promise<ProcessInfo[]> {
    const timeout = options.timeout === undefined ? undefined : AbortSignal.timeout(options.timeout)
    const signal = options.signal && timeout ? AbortSignal.any([options.signal, timeout]) : (options.signal ?? timeout)
    const processes = this.#registry.processesOf(target)
    await Promise.all(processes.map((process) => process.waitUntil(() => process.status === status, signal)))
    return this.#infos(processes)
  }

  /**
   * Stops every process gracefully, waits for operations in flight, and
   * clears every timer. Idempotent: later calls return the same promise.
   */
  close(): Promise<void> {
    this.#closing ??= (async () => {
      this.#sampler.close()
      await this.#triggers.close()
      await this.#groups.close()
      await this.#operations.close()
    })()
    return this.#closing
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close()
  }
}
