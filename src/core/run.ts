/**
 * One child of a managed process, from its spawn to its exit. Its timers
 * (the readiness timeout, the SIGKILL escalation) and its AbortSignal end
 * with the child's exit, so none outlives the child and none has to be
 * cleared by hand. The AbortController is made only when something asks for
 * the signal (the probes): with thousands of idle children, one per child is
 * most of a kilobyte each.
 */
import type { ChildExit, Runner, RunningChild, SpawnRequest } from '../runners/runner.js'
import type { ProbeRunner } from '../health/probe-runner.js'

/** What a run reports as it goes; `pid` is the run's child (not necessarily the process's current one, during a reload). */
export interface RunHooks {
  readonly onMessage: (message: unknown, pid: number) => void
  readonly onException: (error: { name: string; message: string; stack?: string }, pid: number) => void
}

export class Run {
  readonly child: RunningChild
  /** When the spawn was asked for (ms since the epoch). */
  readonly startedAt: number
  /** Resolves when the child sends `'ready'` over IPC (what `waitReady` waits for). */
  readonly readyMessage: Promise<void>
  /** The child's health probes, when its spec has any (set once, right after the spawn). */
  probes: ProbeRunner | null = null
  /** Started while a child a reload replaced was still shutting down (its early exit is retried, not counted). */
  startedBesideRetiring = false
  #controller: AbortController | null = null
  /** Timers set with after() that have not fired. */
  #timers: Set<NodeJS.Timeout> | null = null
  #ended = false
  #forced = false

  private constructor(child: RunningChild, startedAt: number, readyMessage: Promise<void>) {
    this.child = child
    this.startedAt = startedAt
    this.readyMessage = readyMessage
    void child.exited.then(() => {
      this.#ended = true
      for (const timer of this.#timers ?? []) clearTimeout(timer)
      this.#timers = null
      this.#controller?.abort()
    })
  }

  /** Spawns a child; rejects with SpawnError when the OS cannot start it. */
  static async spawn(runner: Runner, request: SpawnRequest, hooks: RunHooks): Promise<Run> {
    const startedAt = Date.now()
    let onReady: () => void = () => undefined
    const readyMessage = new Promise<void>((resolve) => (onReady = resolve))
    const child: RunningChild = await runner.spawn(request, {
      onMessage: (message) => {
        if (message === 'ready') onReady()
        hooks.onMessage(message, child.pid)
      },
      onException: (error) => hooks.onException(error, child.pid),
    })
    return new Run(child, startedAt, readyMessage)
  }

  /** Aborted when the child has exited. */
  get signal(): AbortSignal {
    if (!this.#controller) {
      this.#controller = new AbortController()
      if (this.#ended) this.#controller.abort()
    }
    return this.#controller.signal
  }

  /** True when a stop had to escalate to SIGKILL. */
  get forced(): boolean {
    return this.#forced
  }

  /** Calls `fn` after `ms` unless the child exits first. Returns a function that cancels it. */
  after(ms: number, fn: () => void): () => void {
    if (this.#ended) return () => undefined
    const timer = setTimeout(() => {
      this.#forget(timer)
      fn()
    }, ms)
    ;(this.#timers ??= new Set()).add(timer)
    return () => {
      clearTimeout(timer)
      this.#forget(timer)
    }
  }

  #forget(timer: NodeJS.Timeout): void {
    this.#timers?.delete(timer)
    if (this.#timers?.size === 0) this.#timers = null
  }

  /**
   * The two-phase stop: the runner's graceful stop (`killSignal`, the
   * `'shutdown'` message, or a cluster worker's drain), then SIGKILL after
   * `killTimeout`. Resolves with the exit.
   */
  stop(killTimeout: number): Promise<ChildExit> {
    this.child.stop()
    this.after(killTimeout, () => {
      this.#forced = true
      this.child.kill('SIGKILL')
    })
    return this.child.exited
  }
}
