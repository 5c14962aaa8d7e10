/**
 * Fork mode: each process is a child of the host, spawned directly (no
 * shell) with stdout and stderr piped, an IPC channel for node scripts, and
 * its own process group so a stop reaches grandchildren.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { debuglog } from 'node:util'
import { SpawnError } from '../errors.js'
import { assetPath } from './assets.js'
import { sendSignal } from './process-group.js'
import { drainedExit, isExceptionReport } from './child-exit.js'
import type { NormalizedSpec } from '../types.js'
import type { BoundSocket } from '../sockets/bind.js'
import { handover, withListenPid } from '../sockets/handover.js'
import { heldSocketsOnline, isListeningReport } from '../sockets/readiness.js'
import type { ChildExit, ChildHooks, Runner, RunningChild, SpawnRequest } from './runner.js'

const debug = debuglog('tend')

export function commandLine(request: SpawnRequest): { command: string; args: string[] } {
  const { spec } = request
  if (spec.interpreter === null) return { command: spec.script, args: [...spec.args] }
  const preload = spec.isNode ? ['--require', assetPath('fork-preload.cjs')] : []
  return { command: spec.interpreter, args: [...spec.interpreterArgs, ...preload, spec.script, ...spec.args] }
}

class ForkChild implements RunningChild {
  readonly online: Promise<void>
  readonly exited: Promise<ChildExit>
  #hasExited = false
  readonly #child: ChildProcess
  readonly #group: boolean
  // The spec, not the whole request: the request's env (a copy of the host's
  // environment per child) would stay in memory for the child's whole life.
  readonly #spec: NormalizedSpec

  constructor(child: ChildProcess, spec: NormalizedSpec, hooks: ChildHooks, holdsSockets: boolean) {
    this.#child = child
    this.#group = spec.treekill
    this.#spec = spec
    // Later errors (a failed kill or send) are reported where they happen. Added here rather than in
    // spawn(), whose scope holds the request and its env: a listener made there would keep them alive.
    child.on('error', (error) => debug('child %d: %s', child.pid, error.message))
    // A write to a child that has gone (EPIPE) is reported by sendLine, never thrown at the host.
    child.stdin?.on('error', (error) => debug('child %d stdin: %s', child.pid, error.message))
    let onListening: () => void = () => undefined
    const listening = holdsSockets ? new Promise<void>((resolve) => (onListening = resolve)) : null
    // a child without an IPC channel (not node) sends no messages: no listener to keep for its life
    if (child.connected) {
      child.on('message', (message) => {
        if (isExceptionReport(message)) hooks.onException(message.error)
        else if (isListeningReport(message)) onListening()
        else hooks.onMessage(message)
      })
    }
    // Whatever is left of the group (grandchildren) goes with the leader.
    this.exited = drainedExit(child, () => {
      if (this.#group) sendSignal(child.pid!, 'SIGKILL', true)
    }).then((exit) => {
      this.#hasExited = true
      return exit
    })
    this.online = listening ? heldSocketsOnline(spec, listening, this.exited) : Promise.resolve()
  }

  get hasExited(): boolean {
    return this.#hasExited
  }

  get pid(): number {
    return this.#child.pid!
  }
  get stdout() {
    return this.#child.stdout
  }
  get stderr() {
    return this.#child.stderr
  }
  get stdin() {
    return this.#child.stdin
  }
  get connected(): boolean {
    return this.#child.connected
  }

  stop(): void {
    const { shutdownWithMessage, killSignal } = this.#spec
    if (shutdownWithMessage && this.connected) this.send('shutdown').catch(() => this.kill(killSignal))
    else this.kill(killSignal)
  }

  kill(signal: NodeJS.Signals): void {
    sendSignal(this.pid, signal, this.#group)
  }

  signal(signal: NodeJS.Signals): void {
    sendSignal(this.pid, signal, false)
  }

  send(message: unknown): Promise<void> {
    return new Promise((resolve, reject) => {
      if (!this.#child.connected) return reject(new Error('IPC channel closed'))
      this.#child.send(message as never, (error) => (error ? reject(error) : resolve()))
    })
  }
}

export class ForkRunner implements Runner {
  readonly #socketsOf: (app: string) => readonly BoundSocket[]

  /** `socketsOf` names the sockets held for an app (see src/sockets/): they are handed to each of its children. */
  constructor(socketsOf: (app: string) => readonly BoundSocket[] = () => []) {
    this.#socketsOf = socketsOf
  }

  spawn(request: SpawnRequest, hooks: ChildHooks): Promise<RunningChild> {
    const { spec } = request
    const sockets = this.#socketsOf(spec.name)
    const held = sockets.length > 0 ? handover(sockets, spec.isNode) : null
    const plain = commandLine(request)
    const { command, args } = held && !spec.isNode ? withListenPid(plain.command, plain.args) : plain
    return new Promise((resolve, reject) => {
      let child: ChildProcess
      try {
        child = spawn(command, args, {
          cwd: spec.cwd,
          // read and removed by the fork preload (node children only)
          env: spec.isNode
            ? {
                ...request.env,
                ...held?.env,
                TEND_KILL_SIGNAL: spec.killSignal,
                TEND_KILL_TIMEOUT: String(spec.killTimeout),
                TEND_TREEKILL: spec.treekill ? '1' : '0',
              }
            : { ...request.env, ...held?.env },
          // stdin is a pipe, as in PM2, so `tend send <id> <line>` can write to it. Held sockets at
          // 3, 4, …; node's IPC channel after them (node finds it by NODE_CHANNEL_FD).
          stdio: ['pipe', 'pipe', 'pipe', ...(held?.fds ?? []), ...(spec.isNode ? ['ipc' as const] : [])],
          detached: true,
          windowsHide: true,
        })
      } catch (error) {
        return reject(new SpawnError(spec.name, command, error))
      }
      const onError = (error: Error) => reject(new SpawnError(spec.name, command, error))
      child.once('error', onError)
      child.once('spawn', () => {
        child.off('error', onError)
        resolve(new ForkChild(child, spec, hooks, held !== null))
      })
    })
  }
}
