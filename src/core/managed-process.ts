/**
 * One instance of an app across its restarts: the state machine, the
 * readiness wait, the two-phase stop and the carrying out of restart
 * decisions. The decision itself is the pure `decide()`.
 */
import type { Readable } from 'node:stream'
import { CrashLoopError, ExitedError, NoIpcError, ReadyTimeoutError, TendError } from '../errors.js'
import { decide, EMPTY_HISTORY, historyAfterRequestedRestart, type RestartHistory } from '../restart/policy.js'
import type { ChildExit, Runner, RunningChild } from '../runners/runner.js'
import type { ExitReason, NormalizedSpec, ProcessInfo, Status, SupervisorEvents } from '../types.js'

type Readiness = 'ready' | 'timeout' | 'exited'

const exitedChildren = new WeakSet<RunningChild>()

/** False once the child's exit has been seen. */
function isRunningChild(child: RunningChild): boolean {
  return !exitedChildren.has(child)
}
import { canTransition, isRunning } from './status.js'

/** What a process needs from the supervisor that owns it. */
export interface ProcessHost {
  runnerFor(spec: NormalizedSpec): Runner
  emit<E extends keyof SupervisorEvents>(event: E, payload: Parameters<SupervisorEvents[E]>[0]): void
  hasListeners(event: keyof SupervisorEvents): boolean
  childEnv(spec: NormalizedSpec, instance: number): Record<string, string>
  /** Takes over one output stream of a run (framing, files, ring buffer, events) until it ends. */
  captureOutput(process: ManagedProcess, stream: 'out' | 'err', readable: Readable): void
  info(process: ManagedProcess): ProcessInfo
}

interface StopRequest {
  readonly reason: ExitReason
  readonly done: Promise<void>
  /** Set when SIGKILL had to follow the graceful stop. */
  forced: boolean
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

  readonly #host: ProcessHost
  #status: Status = 'stopped'
  #child: RunningChild | null = null
  #history: RestartHistory = EMPTY_HISTORY
  #restartTimer: NodeJS.Timeout | null = null
  #stopRequest: StopRequest | null = null
  /** Set while the OS is starting a child: a stop waits for it, then stops the child. */
  #pendingSpawn: Promise<unknown> | null = null
  #reloading = false
  readonly #waiters = new Set<() => void>()

  constructor(host: ProcessHost, spec: NormalizedSpec, id: number, instance: number) {
    this.#host = host
    this.spec = spec
    this.id = id
    this.instance = instance
  }

  get status(): Status {
    return this.#status
  }
  get pid(): number | null {
    return this.#child?.pid ?? null
  }
  get unstableRestarts(): number {
    return this.#history.unstableRestarts
  }
  get child(): RunningChild | null {
    return this.#child
  }

  // ------------------------------------------------------------ transitions

  #transition(to: Status): void {
    const from = this.#status
    if (from === to) return
    if (!canTransition(from, to)) throw new Error(`tend internal error: process ${this.id} cannot go from ${from} to ${to}`)
    this.#status = to
    for (const wake of [...this.#waiters]) wake()
  }

  /** Emits a process event; `pid` names the child it is about when that is not the current one (reload). */
  #emit<E extends keyof SupervisorEvents>(event: E, extra: Omit<Parameters<SupervisorEvents[E]>[0], 'process' | 'at'>, pid?: number): void {
    if (!this.#host.hasListeners(event)) return
    const info = this.#host.info(this)
    this.#host.emit(event, { process: pid === undefined || pid === info.pid ? info : { ...info, pid }, at: Date.now(), ...extra })
  }

  /** Resolves when `predicate` holds, re-checked on every status change. */
  waitUntil(predicate: () => boolean, signal?: AbortSignal): Promise<void> {
    if (predicate()) return Promise.resolve()
    return new Promise((resolve, reject) => {
      const wake = (): void => {
        if (!predicate()) return
        cleanup()
        resolve()
      }
      const onAbort = (): void => {
        cleanup()
        reject(signal!.reason)
      }
      const cleanup = (): void => {
        this.#waiters.delete(wake)
        signal?.removeEventListener('abort', onAbort)
      }
      if (signal?.aborted) return reject(signal.reason)
      this.#waiters.add(wake)
      signal?.addEventListener('abort', onAbort, { once: true })
    })
  }

  /** Resolves once online; rejects with the reason when the process ends errored or stopped instead. */
  async untilOnline(signal?: AbortSignal): Promise<void> {
    await this.waitUntil(() => this.#status === 'online' || this.#status === 'errored' || this.#status === 'stopped', signal)
    if (this.#status !== 'online') throw this.lastError ?? new ExitedError(this.spec.name, this.id, this.exitCode, this.exitSignal)
  }

  // ------------------------------------------------------------ running

  /** Starts a run now (from stopped, errored or waiting-restart). Returns at once; see untilOnline(). */
  launch(): void {
    if (this.#restartTimer) clearTimeout(this.#restartTimer)
    this.#restartTimer = null
    this.nextRestartAt = null
    this.lastError = null
    this.cpu = 0 // figures of the last run are not this run's
    this.memory = 0
    this.#transition('launching')
    void this.#spawn()
  }

  /**
   * Spawns one child for this process and pipes its output. `readiness`
   * settles once: ready (the runner's online, or the 'ready' message with
   * waitReady), timeout (listenTimeout passed), or exited.
   */
  async #spawnChild(): Promise<{ child: RunningChild; readiness: Promise<Readiness> }> {
    let onReadyMessage: () => void = () => undefined
    const readyMessage = new Promise<void>((resolve) => (onReadyMessage = resolve))
    const child = await this.#host.runnerFor(this.spec).spawn(
      { spec: this.spec, id: this.id, instance: this.instance, env: this.#host.childEnv(this.spec, this.instance) },
      {
        onMessage: (message) => {
          if (message === 'ready') onReadyMessage()
          this.#emit('process:message', { message }, child.pid)
        },
        onException: (error) => this.#emit('process:exception', { error }, child.pid),
      },
    )
    this.#pipe(child, 'out')
    this.#pipe(child, 'err')
    const { waitReady, listenTimeout } = this.spec
    let timer: NodeJS.Timeout | undefined
    const readiness = Promise.race([
      (waitReady ? readyMessage : child.online).then(() => 'ready' as const),
      new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), listenTimeout))),
      child.exited.then(() => 'exited' as const),
    ]).finally(() => clearTimeout(timer))
    return { child, readiness }
  }

  async #spawn(): Promise<void> {
    this.startedAt = Date.now()
    let spawned
    const pending = this.#spawnChild()
    this.#pendingSpawn = pending.catch(() => undefined)
    try {
      spawned = await pending
    } catch (error) {
      this.#pendingSpawn = null
      this.lastError = error as TendError
      this.#transition('errored')
      this.#emit('process:errored', { error: this.lastError })
      return
    }
    const { child, readiness } = spawned
    this.#pendingSpawn = null
    this.#child = child
    void child.exited.then((exit) => this.#onExit(child, exit))
    this.#emit('process:spawn', {})
    if (this.#stopRequest) return // a stop came while spawning: it takes over from here
    const outcome = await readiness
    if (this.#child !== child || this.#status !== 'launching' || outcome === 'exited') return
    if (outcome === 'ready') {
      this.#transition('online')
      this.#emit('process:online', {})
      return
    }
    await this.#terminate('ready-timeout')
    this.lastError = new ReadyTimeoutError(this.spec.name, this.id, this.spec.listenTimeout)
    if ((this.#status as Status) === 'stopping') {
      this.#transition('errored')
      this.#emit('process:errored', { error: this.lastError })
    }
  }

  #pipe(child: RunningChild, stream: 'out' | 'err'): void {
    const readable = stream === 'out' ? child.stdout : child.stderr
    if (readable) this.#host.captureOutput(this, stream, readable)
  }

  #onExit(child: RunningChild, exit: ChildExit): void {
    exitedChildren.add(child)
    if (child !== this.#child) return
    this.#child = null
    this.exitCode = exit.code
    this.exitSignal = exit.signal
    const uptime = this.startedAt === null ? 0 : Date.now() - this.startedAt
    if (this.#stopRequest) {
      const { reason, forced } = this.#stopRequest
      this.#emit('process:exit', { code: exit.code, signal: exit.signal, reason, forced })
      return // the stopper decides what comes next
    }
    const decision = decide({ ...exit, uptime }, this.#history, this.spec)
    this.#emit('process:exit', { code: exit.code, signal: exit.signal, reason: decision.reason, forced: false })
    if (decision.action === 'stop') {
      this.lastError = new ExitedError(this.spec.name, this.id, exit.code, exit.signal)
      this.#transition('stopped')
      this.#emit('process:stopped', {})
    } else if (decision.action === 'give-up') {
      this.lastError = new CrashLoopError(this.spec.name, this.id, { restarts: this.restarts, exitCode: exit.code, signal: exit.signal })
      this.#transition('errored')
      this.#emit('process:errored', { error: this.lastError })
    } else {
      this.#history = decision.history
      this.restarts++
      this.#scheduleRestart(decision.delay, decision.history.attempt, decision.reason)
    }
  }

  #scheduleRestart(delay: number, attempt: number, reason: ExitReason): void {
    this.#transition('waiting-restart')
    this.nextRestartAt = Date.now() + delay
    this.#restartTimer = setTimeout(() => {
      this.#restartTimer = null
      // During a reload the replacement is already on its way: the reload decides.
      if (this.#status === 'waiting-restart' && !this.#reloading) this.launch()
    }, delay)
    this.#emit('process:restart', { delay, attempt, reason })
  }

  // ------------------------------------------------------------ stopping

  /**
   * Stops the current run, if any: `killSignal` (or the 'shutdown' message),
   * then SIGKILL after `killTimeout`. Leaves the status at 'stopping' (or
   * where it was when nothing ran) for the caller to move on.
   */
  async #terminate(reason: ExitReason): Promise<void> {
    if (this.#stopRequest) return this.#stopRequest.done
    if (!isRunning(this.#status)) return
    let finish!: () => void
    const request: StopRequest = { reason, done: new Promise<void>((resolve) => (finish = resolve)), forced: false }
    this.#stopRequest = request
    this.#transition('stopping')
    try {
      if (!this.#child && this.#pendingSpawn) await this.#pendingSpawn
      if (this.#child) await this.#stopChild(this.#child, () => (request.forced = true))
    } finally {
      this.#stopRequest = null
      finish()
    }
  }

  /** Graceful stop of one child, the runner's way, then SIGKILL after killTimeout; the timer is always cleared. */
  async #stopChild(child: RunningChild, onForced: () => void = () => undefined): Promise<ChildExit & { forced: boolean }> {
    child.stop()
    let forced = false
    const escalate = setTimeout(() => {
      forced = true
      onForced() // before the kill: the exit it causes is reported as forced
      child.kill('SIGKILL')
    }, this.spec.killTimeout)
    try {
      return { ...(await child.exited), forced }
    } finally {
      clearTimeout(escalate)
    }
  }

  /** Stops the process for good (until launched again). Idempotent. */
  async stop(reason: ExitReason = 'stop'): Promise<void> {
    if (this.#status === 'waiting-restart') {
      if (this.#restartTimer) clearTimeout(this.#restartTimer)
      this.#restartTimer = null
      this.nextRestartAt = null
      this.#transition('stopped')
      this.#emit('process:stopped', {})
      return
    }
    if (!isRunning(this.#status)) return
    if (this.#stopRequest) {
      await this.#stopRequest.done
      return this.stop(reason)
    }
    await this.#terminate(reason)
    if (this.#status === 'stopping') {
      this.#transition('stopped')
      this.#emit('process:stopped', {})
    }
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
    this.#history = reason === 'restart' ? EMPTY_HISTORY : historyAfterRequestedRestart(this.#history, uptime, this.spec)
    if (wasRunning) this.restarts++
    this.launch()
  }

  /**
   * Zero-downtime replacement: start a new child, wait until it is ready,
   * then stop the old one gracefully. When the new child fails (spawn error,
   * exit or ready timeout), it is stopped, the old one keeps running and the
   * error is thrown. A process that is not online is simply restarted.
   * Resolves once the replacement is online, with `retired`: the old child's
   * graceful stop, which may take until killTimeout while it drains.
   */
  async reload(): Promise<{ retired: Promise<void> }> {
    const old = this.#child
    if (this.#status !== 'online' || !old) {
      await this.restart('reload')
      await this.untilOnline()
      return { retired: Promise.resolve() }
    }
    this.#reloading = true
    let replaced = false
    try {
      const startedAt = Date.now()
      const { child, readiness } = await this.#spawnChild()
      this.#emit('process:spawn', {}, child.pid)
      const outcome = await readiness
      if (outcome !== 'ready') {
        const exit = outcome === 'timeout' ? await this.#stopChild(child) : await child.exited
        if (outcome === 'timeout') throw new ReadyTimeoutError(this.spec.name, this.id, this.spec.listenTimeout)
        throw new ExitedError(this.spec.name, this.id, exit.code, exit.signal)
      }
      // The replacement takes over; a restart the old one's crash scheduled meanwhile is void.
      this.#child = child
      this.startedAt = startedAt
      this.restarts++
      replaced = true
      void child.exited.then((exit) => this.#onExit(child, exit))
      if (this.#restartTimer) clearTimeout(this.#restartTimer)
      this.#restartTimer = null
      this.nextRestartAt = null
      const status = this.#status as Status
      if (status === 'waiting-restart' || status === 'errored') this.#transition('launching')
      this.#transition('online')
      this.#emit('process:online', {})
      if (!isRunningChild(old)) return { retired: Promise.resolve() }
      const retired = this.#stopChild(old).then((exit) => {
        this.#emit('process:exit', { code: exit.code, signal: exit.signal, reason: 'reload', forced: exit.forced }, old.pid)
      })
      return { retired }
    } finally {
      this.#reloading = false
      // The old one crashed during a failed reload: carry out the restart its crash asked for.
      if (!replaced && (this.#status as Status) === 'waiting-restart' && this.#restartTimer === null) this.launch()
    }
  }

  /** Sends a signal to the running process (not its group). Returns false when it is not running. */
  signal(signal: NodeJS.Signals): boolean {
    if (!this.#child) return false
    this.#child.signal(signal)
    return true
  }

  /** Sends an IPC message. Returns false when it is not running. */
  async send(message: unknown): Promise<boolean> {
    const child = this.#child
    if (!child) return false
    if (!child.connected) throw new NoIpcError(this.id, this.spec.name)
    await child.send(message)
    return true
  }

  /** Everything this process holds: timers. Called once it is stopped for good. */
  dispose(): void {
    if (this.#restartTimer) clearTimeout(this.#restartTimer)
    this.#restartTimer = null
    this.#waiters.clear()
  }
}
