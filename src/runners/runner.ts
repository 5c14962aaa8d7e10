/** The one interface every mode implements; callers never branch on the mode. */
import type { Readable, Writable } from 'node:stream'
import type { NormalizedSpec } from '../types.js'

export interface ChildExit {
  readonly code: number | null
  readonly signal: NodeJS.Signals | null
}

export interface SpawnRequest {
  readonly spec: NormalizedSpec
  readonly id: number
  readonly instance: number
  /** The complete environment of the child. */
  readonly env: Record<string, string>
}

/** Hooks the process manager gives a child when it spawns it. */
export interface ChildHooks {
  /** Any IPC message from the child (including `'ready'`). */
  readonly onMessage: (message: unknown) => void
  /** An uncaught exception the child reported before it died. */
  readonly onException: (error: { name: string; message: string; stack?: string }) => void
}

export interface RunningChild {
  readonly pid: number
  readonly stdout: Readable | null
  readonly stderr: Readable | null
  /** The child's stdin (a pipe nobody writes to unless `sendLine` is called), or null. */
  readonly stdin: Writable | null
  /** True while an IPC channel to the child is open. */
  readonly connected: boolean
  /** Resolves when the runner's own notion of "online" holds (fork: spawned; cluster: listening). */
  readonly online: Promise<void>
  /** Resolves once, when the process has exited and its output is drained. */
  readonly exited: Promise<ChildExit>
  /** True once `exited` has resolved. */
  readonly hasExited: boolean
  /**
   * Begins a graceful stop, the mode's way: fork sends `killSignal` to the
   * group (or `'shutdown'`), cluster disconnects the worker so its servers
   * drain first. The caller escalates with kill('SIGKILL') after `killTimeout`.
   */
  stop(): void
  /** Sends a signal to the process, or to its whole group when the mode and spec allow it. */
  kill(signal: NodeJS.Signals): void
  /** Sends a signal to the process alone. */
  signal(signal: NodeJS.Signals): void
  send(message: unknown): Promise<void>
}

export interface Runner {
  /** Starts one process; rejects with SpawnError when the OS cannot start it. */
  spawn(request: SpawnRequest, hooks: ChildHooks): Promise<RunningChild>
}
