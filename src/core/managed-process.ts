/**
 * One instance of an app across its restarts. Its state is two values,
 * checked together on every change (status.ts): the status users see, and
 * the one operation in flight. A status change and its event are one step
 * (#enter). A child's life is a Run (run.ts), readiness is waitReady()
 * (readiness.ts), a reload is a replacement (replacement.ts), and whether to
 * restart is the pure decide() (restart/policy.ts): this class carries out.
 *
 * `NODE_DEBUG=tend` logs every change, so a process's whole life shows.
 */
import type { Readable } from 'node:stream'
import { debuglog } from 'node:util'
import { CrashLoopError, ExitedError, NoIpcError, ReadyTimeoutError, type TendError } from '../errors.js'
import { decide, EMPTY_HISTORY, historyAfterRequestedRestart, type RestartHistory } from '../restart/policy.js'
import type { ChildExit, Runner, RunningChild } from '../runners/runner.js'
import { ProbeRunner } from '../health/probe-runner.js'
import type { ExitReason, NormalizedSpec, ProcessHealth, ProcessInfo, Status, SupervisorEvents } from '../types.js'
import { setTimeoutOn } from '../util/timer.js'
import { readyAtSpawn, readySignal, waitReady } from './readiness.js'
import { replace, type Replaced } from './replacement.js'
import { Run } from './run.js'
import {
  canHold,
  canTransition,
  isRunning,
  NONE,
  EVENT_OF,
  type Announcements,
  type LaunchOperation,
  type Operation,
  type ReplaceOperation,
  type StopOperation,
} from './status.js'
import { Waiters } from './waiters.js'

const debug = debuglog('tend')

/** What a process needs from the supervisor that owns it. */
export interface ProcessHost {
  runnerFor(spec: NormalizedSpec): Runner
  emit<E extends keyof SupervisorEvents>(event: E, payload: Parameters<SupervisorEvents[E]>[0]): void
  hasListeners(event: keyof SupervisorEvents): boolean
  childEnv(spec: NormalizedSpec, instance: number): Record<string, string>
  /** Takes over one output stream of a run (framing, files, ring buffer, events) until it ends. */
  captureOutput(process: ManagedProcess, stream: 'out' | 'err', readable: Readable): void
  info(process: ManagedProcess): ProcessInfo
  /**
   * An exit nobody asked for (`crash`, `unhealthy`) that the policy restarts,
   * or (`gaveUp`) gives up on: a group strategy above (src/groups/) counts it,
   * and returns true when it takes the restart over; the process then waits
   * in `waiting-restart`, with no timer, for the group to launch it.
   */
  onUnexpectedExit?(process: ManagedProcess, exit: { readonly reason: ExitReason; readonly pid: number; readonly gaveUp: boolean }): boolean
}

export class ManagedProcess {
  readonly id: number
  readonly instance: number
  spec: NormalizedSpec
  restarts = 0
  cpu = 0
  memory = 0
  startedAt: number | null = null
  exitCode: number | null = null
  exitSignal: NodeJS.Signals | null = null
  nextRestartAt: number | null = null
  /** Why the process last failed (errored, or exited for good). */
  lastError: TendError | null = null
  /** Why it was last asked to stop (even when it was stopped already): a group's restart relaunches only what it stopped itself. */
  lastStopReason: ExitReason | null = null
  /** The probes of the current (or last) child: what they found is read live (lastCheckAt, failures in a row). */
  #probed: ProbeRunner | null = null

  readonly #host: ProcessHost
  #status: Status = 'stopped'
  #operation: Operation = NONE
  /** The child that is the process's now (null between runs). */
  #run: Run | null = null
  #history: RestartHistory = EMPTY_HISTORY
  /** Aborts the scheduled restart, if any. */
  #pendingRestart: AbortController | null = null
  readonly #waiters = new Waiters()
  /** The current run gave its readiness signal (false: online only because listenTimeout ran out). */
  #confirmedReady = false
  /** Some run of this process gave its readiness signal: later runs are held to it (readiness.ts). */
  #everConfirmed = false
  /** How many children a reload replaced are still shutting down. */
  #retiring = 0
  /** Exits of a reload's replacement while an old child was still shutting down (retried, not counted as crashes). */
  #contended = 0
  /** A child being stopped because a startup or liveness probe failed: its exit is `unhealthy`. */
  #unhealthy: { readonly run: Run; readonly startup: boolean } | null = null

  constructor(host: ProcessHost, spec: NormalizedSpec, id: number, instance: number) {
    this.#host = host
    this.spec = spec
    this.id = id
    this.instance = instance
  }

  /** What the current (or last) child's probes found, as of their last check; null without probes. */
  get health(): ProcessHealth | null {
    return this.#probed?.health ?? null
  }

  get status(): Status {
    return this.#status
  }
  get pid(): number | null {
    return this.#run?.child.pid ?? null
  }
  get unstableRestarts(): number {
    return this.#history.unstableRestarts
  }
  get child(): RunningChild | null {
    return this.#run?.child ?? null
  }
  /** False while the process is online only because `listenTimeout` ran out before its readiness signal. */
  get confirmedReady(): boolean {
    return this.#confirmedReady || this.#status !== 'online'
  }

  // ------------------------------------------------------------ state

  /**
   * Moves to `status` with `operation` in flight, and announces it with the
   * status's event in the same step: one change, one event, never one
   * without the other.
   */
  #enter<S extends Status>(status: S, operation: Operation, ...announcement: Announcements[S]): void {
    const from = this.#status
    if (!canTransition(from, status) || !canHold(status, operation.kind)) {
      throw new Error(`tend internal error: process ${this.id} cannot go from ${from} to ${status} with ${operation.kind} in flight`)
    }
    this.#status = status
    this.#operation = operation
    debug('process %d (%s #%d): %s → %s, %s in flight', this.id, this.spec.name, this.instance, from, status, operation.kind)
    const extra = announcement[0]
    if (status === 'errored') this.lastError = (extra as { error: TendError }).error
    this.#waiters.wake()
    const event = EVENT_OF[status]
    if (event) this.#emit(event, { ...extra } as never)
  }

  /** Changes what is in flight without changing the status (a replacement begins or ends). */
  #hold(operation: Operation): void {
    if (!canHold(this.#status, operation.kind)) {
      throw new Error(`tend internal error: process ${this.id} cannot hold ${operation.kind} while ${this.#status}`)
    }
    debug('process %d (%s #%d): %s, %s in flight', this.id, this.spec.name, this.instance, this.#status, operation.kind)
    this.#operation = operation
  }

  /**
   * True while `operation` is still the one in flight. Checked after every
   * await: whoever comes first after a change moves on, the others step back.
   */
  #inFlight(operation: Operation): boolean {
    return this.#operation === operation
  }

  /** Emits a process event; `pid` names the child it is about when that is not the current one (reload). */
  #emit<E extends keyof SupervisorEvents>(event: E, extra: Omit<Parameters<SupervisorEvents[E]>[0], 'process' | 'at'>, pid?: number): void {
    if (!this.#host.hasListeners(event)) return
    const info = this.#host.info(this)
    this.#host.emit(event, { process: pid === undefined || pid === info.pid ? info : { ...info, pid }, at: Date.now(), ...extra })
  }

  /** Resolves when `predicate` holds, re-checked on every status change. */
  waitUntil(predicate: () => boolean, signal?: AbortSignal): Promise<void> {
    return this.#waiters.until(predicate, signal)
  }

  /** Resolves once online; rejects with the reason when the process ends errored or stopped instead. */
  async untilOnline(signal?: AbortSignal): Promise<void> {
    await this.waitUntil(() => this.#status === 'online' || this.#status === 'errored' || this.#status === 'stopped', signal)
    if (this.#status !== 'online') throw this.lastError ?? new ExitedError(this.spec.name, this.id, this.exitCode, this.exitSignal)
  }

  // ------------------------------------------------------------ launching

  /** Starts a run now (from stopped, errored, waiting-restart or stopping). Returns at once; see untilOnline(). */
  launch(): void {
    this.#cancelRestart()
    this.lastError = null
    this.cpu = 0 // figures of the last run are not this run's
    this.memory = 0
    this.startedAt = Date.now()
    let spawned!: (run: Run | null) => void
    const operation: LaunchOperation = { kind: 'launch', spawned: new Promise((resolve) => (spawned = resolve)) }
    this.#enter('launching', operation)
    void this.#carryOutLaunch(operation, spawned)
  }

  async #carryOutLaunch(operation: LaunchOperation, spawned: (run: Run | null) => void): Promise<void> {
    let run: Run
    try {
      run = await this.#spawn()
    } catch (error) {
      spawned(null)
      // a stop that came while spawning finds nothing to stop, and decides
      if (this.#inFlight(operation)) this.#enter('errored', NONE, { error: error as TendError })
      else this.lastError = error as TendError
      return
    }
    this.#adopt(run)
    spawned(run)
    this.#emit('process:spawn', {})
    if (!this.#inFlight(operation)) return // a stop came while spawning: it takes over
    const readiness = await waitReady(run, this.spec)
    // an exit ended the launch (#onExit decided), or a stop took over
    if (!this.#inFlight(operation) || readiness === 'exited') return
    if (readiness === 'ready') return this.#online(run, true)
    // never confirmed before: online anyway, flagged, as PM2 treats listen_timeout (readiness.ts); not when
    // probes gate it: they said not ready, and dependents waiting for it to be ready must not start
    const gates = run.probes?.gates ? run.probes : null
    if (!this.#everConfirmed && !gates) return this.#online(run, false)
    const stop = await this.#terminate('ready-timeout')
    if (stop && this.#inFlight(stop)) {
      const waited = gates ? Math.max(this.spec.listenTimeout, gates.bound) : this.spec.listenTimeout
      this.#enter('errored', NONE, { error: new ReadyTimeoutError(this.spec.name, this.id, waited) })
    }
  }

  /**
   * Enters online with `run`; one not confirmed ready is announced with a
   * `process:warning`, and confirmed should its signal come later.
   */
  #online(run: Run, confirmed: boolean): void {
    this.#confirmedReady = confirmed
    if (confirmed) this.#everConfirmed = true
    this.#enter('online', NONE)
    if (confirmed) return
    const { waitReady, listenTimeout, mode } = this.spec
    const signal = waitReady ? "sent no 'ready'" : 'did not listen'
    const hint = waitReady
      ? 'check that it calls process.send("ready"), or raise listen_timeout'
      : 'a worker that serves no port runs as well in fork mode (--fork, exec_mode: fork)'
    this.#emit('process:warning', {
      code: 'not-confirmed-ready',
      message: `${signal} within ${listenTimeout} ms (${mode} mode); online, not confirmed ready: ${hint}`,
    })
    void readySignal(run, this.spec).then(() => {
      if (this.#run !== run) return
      this.#confirmedReady = true
      this.#everConfirmed = true
    })
  }

  /** Spawns a child for this process, its output captured; not yet the process's (see #adopt). */
  async #spawn(): Promise<Run> {
    const { spec, id, instance } = this
    const run = await Run.spawn(
      this.#host.runnerFor(spec),
      { spec, id, instance, env: this.#host.childEnv(spec, instance) },
      {
        onMessage: (message, pid) => this.#emit('process:message', { message }, pid),
        onException: (error, pid) => this.#emit('process:exception', { error }, pid),
      },
    )
    debug('process %d (%s #%d): pid %d spawned', id, spec.name, instance, run.child.pid)
    for (const [stream, readable] of [
      ['out', run.child.stdout],
      ['err', run.child.stderr],
    ] as const) {
      if (readable) this.#host.captureOutput(this, stream, readable)
    }
    this.#probe(run)
    return run
  }

  /** Starts the child's probes, if its spec has any; they end with the child. */
  #probe(run: Run): void {
    const { probes, cwd } = this.spec
    if (!probes) return
    const env = this.#host.childEnv(this.spec, this.instance)
    const port = env.PORT !== undefined && /^\d+$/.test(env.PORT) ? Number(env.PORT) : null
    const runner = new ProbeRunner(probes, { port, cwd, env }, run.signal, {
      onChange: (health) => {
        if (run !== this.#run) return // a replacement's probes: its health becomes the process's at the handover
        this.#emit('process:health', { health })
      },
      onFailed: (kind, error) => this.#onProbeFailed(run, kind, error),
    })
    run.probes = runner
    runner.watchOutput([run.child.stdout, run.child.stderr])
    runner.start()
  }

  /**
   * A startup or liveness probe failed: the child is stopped the two-phase way
   * and its exit goes the crash path with reason `unhealthy` (restart policy,
   * backoff and crash loop apply); a failed startup counts as an unstable run.
   * A replacement that fails is stopped, and the reload rolls back.
   */
  #onProbeFailed(run: Run, kind: 'startup' | 'liveness', error: string): void {
    debug('process %d (%s #%d): pid %d %s probe failed: %s', this.id, this.spec.name, this.instance, run.child.pid, kind, error)
    if (run.child.hasExited || this.#operation.kind === 'stop') return
    if (run === this.#run) this.#unhealthy = { run, startup: kind === 'startup' }
    void run.stop(this.spec.killTimeout)
  }

  /** Makes `run` the process's own: its exit is the process's exit. */
  #adopt(run: Run): void {
    this.#run = run
    if (this.#retiring > 0) run.startedBesideRetiring = true
    this.#probed = run.probes ?? null
    void run.child.exited.then((exit) => this.#onExit(run, exit))
  }

  // ------------------------------------------------------------ exits and restarts

  #onExit(run: Run, exit: ChildExit): void {
    debug(
      'process %d (%s #%d): pid %d exited (code %s, signal %s)',
      this.id,
      this.spec.name,
      this.instance,
      run.child.pid,
      exit.code,
      exit.signal,
    )
    if (run !== this.#run) return // a retired child: its retirement reports it
    this.#run = null
    this.exitCode = exit.code
    this.exitSignal = exit.signal
    const operation = this.#operation
    if (operation.kind === 'stop') {
      this.#emit('process:exit', { code: exit.code, signal: exit.signal, reason: operation.reason, forced: run.forced })
      return // the stopper decides what comes next
    }
    const unhealthy = this.#unhealthy?.run === run ? this.#unhealthy : null
    this.#unhealthy = null
    const uptime = this.startedAt === null || unhealthy?.startup ? 0 : Date.now() - this.startedAt
    // the exit ends a launch; a replacement in flight stays in flight: it decides at its end
    const next = operation.kind === 'replace' ? operation : NONE
    const besideRetiring = this.#retiring > 0 || run.startedBesideRetiring
    if (!unhealthy && besideRetiring && uptime < this.spec.minUptime) return this.#retryWhileRetiring(run, exit, next)
    const decision = decide({ ...exit, uptime }, this.#history, this.spec)
    const reason: ExitReason = unhealthy ? 'unhealthy' : decision.reason
    debug('process %d (%s #%d): %s, decided %s', this.id, this.spec.name, this.instance, reason, decision.action)
    this.#emit('process:exit', { code: exit.code, signal: exit.signal, reason, forced: run.forced })
    if (decision.action === 'stop') {
      this.lastError = new ExitedError(this.spec.name, this.id, exit.code, exit.signal)
      this.#enter('stopped', next)
    } else if (decision.action === 'give-up') {
      const error = new CrashLoopError(this.spec.name, this.id, { restarts: this.restarts, exitCode: exit.code, signal: exit.signal })
      this.#enter('errored', next, { error })
      if (reason !== 'exit') this.#host.onUnexpectedExit?.(this, { reason, pid: run.child.pid, gaveUp: true })
    } else {
      this.#history = decision.history
      this.restarts++
      const byGroup =
        reason !== 'exit' &&
        next.kind === 'none' &&
        this.#host.onUnexpectedExit?.(this, { reason, pid: run.child.pid, gaveUp: false }) === true
      this.#scheduleRestart(next, byGroup ? null : decision.delay, decision.history.attempt, reason)
    }
  }

  /**
   * A reload's new child exited soon after its start while the child it
   * replaced still shuts down: in fork mode the old one may still hold what
   * the new one needs (its port: EADDRINUSE). Retried after a growing delay
   * (100 ms doubling to 1 s), not counted towards maxRestarts, and at once
   * when the old child has gone (#retiredChildGone).
   */
  #retryWhileRetiring(run: Run, exit: ChildExit, next: Operation): void {
    this.#contended++
    this.#emit('process:exit', { code: exit.code, signal: exit.signal, reason: 'crash', forced: run.forced })
    this.restarts++
    debug('process %d (%s #%d): exited while the old child still shuts down; retrying', this.id, this.spec.name, this.instance)
    const delay = this.#retiring === 0 ? 0 : Math.min(1000, 100 * 2 ** (this.#contended - 1))
    this.#scheduleRestart(next, delay, this.#contended, 'crash')
  }

  /** The last retired child has gone: a replacement waiting to retry starts now. */
  #retiredChildGone(): void {
    this.#retiring--
    if (this.#retiring > 0 || this.#contended === 0) return
    if (this.#status === 'waiting-restart' && this.#operation.kind === 'none') this.launch()
  }

  /**
   * After a reload whose new child had to be retried: resolves once the
   * process has stayed online for `minUptime`; rejects with why it did not
   * (a crash loop, an exit for good), so a reload never reports success
   * with the app down.
   */
  async #untilStable(): Promise<void> {
    for (;;) {
      await this.untilOnline()
      const run = this.#run
      if (!run) continue
      const left = Math.max(0, this.spec.minUptime - (Date.now() - run.startedAt))
      const survived = await new Promise<boolean>((resolve) => {
        run.after(left, () => resolve(true))
        void run.child.exited.then(() => resolve(false))
      })
      if (survived) return
    }
  }

  /** `delay` null: no timer, the process's group restarts it (onUnexpectedExit). */
  #scheduleRestart(operation: Operation, delay: number | null, attempt: number, reason: ExitReason): void {
    const pending = new AbortController()
    this.#pendingRestart = pending
    this.nextRestartAt = delay === null ? null : Date.now() + delay
    if (delay !== null) {
      setTimeoutOn(pending.signal, delay, () => {
        this.#pendingRestart = null
        this.#restartDue()
      })
    }
    this.#enter('waiting-restart', operation, { delay: delay ?? 0, attempt, reason })
  }

  #restartDue(): void {
    if (this.#status !== 'waiting-restart') return
    const operation = this.#operation
    if (operation.kind === 'replace')
      operation.restartDue = true // the replacement decides at its end
    else this.launch()
  }

  /** Cancels the scheduled restart, if any. */
  #cancelRestart(): void {
    this.#pendingRestart?.abort()
    this.#pendingRestart = null
    this.nextRestartAt = null
  }

  // ------------------------------------------------------------ stopping

  /**
   * Stops the current run, if any, the two-phase way (Run.stop), and leaves
   * the status at 'stopping' for the caller to move on. A stop already in
   * flight is joined. Resolves with the stop operation that ended the run
   * (whoever comes first after it may move on), or null when nothing ran.
   */
  async #terminate(reason: ExitReason): Promise<StopOperation | null> {
    const current = this.#operation
    if (current.kind === 'stop') {
      await current.done
      return current
    }
    if (!isRunning(this.#status)) return null
    let done!: () => void
    const operation: StopOperation = { kind: 'stop', reason, done: new Promise((resolve) => (done = resolve)) }
    this.#enter('stopping', operation)
    try {
      // a stop while spawning waits for the child, then stops it
      const run = this.#run ?? (current.kind === 'launch' ? await current.spawned : null)
      if (run && !run.child.hasExited) await run.stop(this.spec.killTimeout)
    } finally {
      done()
    }
    return operation
  }

  /** Stops the process for good (until launched again). Idempotent. */
  async stop(reason: ExitReason = 'stop'): Promise<void> {
    this.lastStopReason = reason
    if (this.#status === 'waiting-restart') {
      this.#cancelRestart()
      return this.#enter('stopped', this.#operation)
    }
    if (!isRunning(this.#status)) return
    const operation = await this.#terminate(reason)
    if (operation && this.#inFlight(operation)) this.#enter('stopped', NONE)
  }

  /**
   * Stops the current run (if any) and starts a new one. A user's restart
   * clears the crash history; a trigger's (memory, cron, watch) keeps it,
   * reset only as far as the run's uptime earned.
   */
  async restart(reason: ExitReason = 'restart'): Promise<void> {
    const wasRunning = isRunning(this.#status)
    const uptime = wasRunning && this.startedAt !== null ? Date.now() - this.startedAt : 0
    if (wasRunning) await this.#terminate(reason)
    if (this.#status === 'launching' || this.#status === 'online') return // launched meanwhile by whoever came first
    this.#history = reason === 'restart' ? EMPTY_HISTORY : historyAfterRequestedRestart(this.#history, uptime, this.spec)
    if (wasRunning) this.restarts++
    this.launch()
  }

  // ------------------------------------------------------------ reload

  /**
   * Zero-downtime replacement of the running child (replacement.ts): the old
   * one keeps running when the new one fails, and the error is thrown. A
   * process that is not online is simply restarted. Resolves once the
   * replacement is online, with `retired`: the old child's graceful stop.
   */
  async reload(): Promise<Replaced> {
    const current = this.#run
    if (this.#status !== 'online' || !current || this.#operation.kind !== 'none') {
      await this.restart('reload')
      await this.untilOnline()
      return { retired: Promise.resolve() }
    }
    const operation: ReplaceOperation = { kind: 'replace', restartDue: false }
    this.#hold(operation)
    this.#contended = 0
    let replaced = false
    try {
      const { retired } = await replace(current, {
        id: this.id,
        spec: this.spec,
        holdsToReadiness: this.#everConfirmed,
        spawn: async () => {
          const run = await this.#spawn()
          this.#emit('process:spawn', {}, run.child.pid)
          return run
        },
        takeOver: (run, confirmed) => {
          replaced = true
          this.#takeOver(run, confirmed)
        },
        retired: (run, exit) => {
          const { code, signal } = exit
          this.#emit('process:exit', { code, signal, reason: 'reload', forced: run.forced }, run.child.pid)
        },
      })
      return { retired: this.#afterRetirement(current, retired) }
    } finally {
      if (!replaced) this.#rollBack(operation)
    }
  }

  /**
   * The old child's retirement; then, after retries of its replacement
   * (#retryWhileRetiring) or when readiness was the mere spawn, until the
   * process is stable.
   */
  async #afterRetirement(old: Run, retired: Promise<void>): Promise<void> {
    if (!old.child.hasExited) {
      this.#retiring++
      if (this.#run) this.#run.startedBesideRetiring = true
      void old.child.exited.then(() => this.#retiredChildGone())
    }
    await retired
    if (this.#contended === 0 && !readyAtSpawn(this.spec)) return
    try {
      await this.#untilStable()
    } finally {
      this.#contended = 0
    }
  }

  /** The ready replacement becomes the process's run; a restart the old child's crash scheduled meanwhile is void. */
  #takeOver(run: Run, confirmed: boolean): void {
    this.#cancelRestart()
    this.#adopt(run)
    this.startedAt = run.startedAt
    this.restarts++
    // the old child is gone (it crashed meanwhile): the replacement is a launch of the process
    if (this.#status !== 'online') this.#enter('launching', { kind: 'launch', spawned: Promise.resolve(run) })
    this.#online(run, confirmed)
  }

  /** A failed replacement leaves the process as it was, and carries out the restart an old child's crash asked for. */
  #rollBack(operation: ReplaceOperation): void {
    if (!this.#inFlight(operation)) return
    this.#hold(NONE)
    if (operation.restartDue && this.#status === 'waiting-restart') this.launch()
  }

  // ------------------------------------------------------------ talking to the child

  /** Sends a signal to the running process (not its group). Returns false when it is not running. */
  signal(signal: NodeJS.Signals): boolean {
    if (!this.#run) return false
    this.#run.child.signal(signal)
    return true
  }

  /** Sends an IPC message. Returns false when it is not running. */
  async send(message: unknown): Promise<boolean> {
    const child = this.#run?.child
    if (!child) return false
    if (!child.connected) throw new NoIpcError(this.id, this.spec.name)
    await child.send(message)
    return true
  }

  /** Everything this process holds: the restart timer, the waiters. Called once it is stopped for good. */
  dispose(): void {
    this.#cancelRestart()
    this.#waiters.clear()
  }
}
