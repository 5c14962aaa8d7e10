/**
 * Cluster mode: each process is a node:cluster worker sharing its listening
 * ports with the app's other workers through this (primary) process. The
 * worker runs assets/cluster-container.cjs, which loads the user's script.
 *
 * node:cluster keeps its settings globally, so they are set right before
 * each fork: two Supervisors (or two apps) in one process never mix. Workers
 * are tracked by reference, never through the global `cluster.workers`.
 */
import cluster, { type Worker } from 'node:cluster'
import { debuglog } from 'node:util'
import { SpawnError } from '../errors.js'
import { assetPath } from './assets.js'
import { drainedExit, isExceptionReport } from './child-exit.js'
import { sendSignal } from './process-group.js'
import type { ChildExit, ChildHooks, Runner, RunningChild, SpawnRequest } from './runner.js'
import type { NormalizedSpec } from '../types.js'

const debug = debuglog('tend')

class ClusterChild implements RunningChild {
  readonly online: Promise<void>
  readonly exited: Promise<ChildExit>
  #hasExited = false
  readonly #worker: Worker
  /** The spec, not the whole request: the request's env (a copy of the host's) would live as long as the worker. */
  readonly #spec: NormalizedSpec

  constructor(worker: Worker, spec: NormalizedSpec, hooks: ChildHooks) {
    this.#worker = worker
    this.#spec = spec
    worker.on('message', (message: unknown) => {
      if (isExceptionReport(message)) hooks.onException(message.error)
      else hooks.onMessage(message)
    })
    worker.on('error', (error) => debug('worker %d: %s', worker.process.pid, error.message))
    worker.process.stdin?.on('error', (error) => debug('worker %d stdin: %s', worker.process.pid, error.message))
    this.online = new Promise((resolve) => worker.once('listening', () => resolve()))
    this.exited = drainedExit(worker.process).then((exit) => {
      this.#hasExited = true
      return exit
    })
  }

  get hasExited(): boolean {
    return this.#hasExited
  }

  get pid(): number {
    return this.#worker.process.pid!
  }
  get stdout() {
    return this.#worker.process.stdout
  }
  get stderr() {
    return this.#worker.process.stderr
  }
  get stdin() {
    return this.#worker.process.stdin
  }
  get connected(): boolean {
    return this.#worker.isConnected()
  }

  stop(): void {
    const { shutdownWithMessage } = this.#spec
    if (shutdownWithMessage && this.connected) this.send('shutdown').catch(() => undefined)
    // 'tend:drain' tells the container to end keep-alive connections cleanly;
    // the disconnect then closes the worker's servers (no new connections),
    // lets the requests in flight finish, and closes the channel, upon which
    // the container raises the kill signal so the app's own handler runs.
    if (this.connected) {
      this.send({ type: 'tend:drain' }).catch(() => undefined)
      this.#worker.disconnect()
    } else this.kill(this.#spec.killSignal)
  }

  kill(signal: NodeJS.Signals): void {
    // Workers share the supervisor's process group: signal the worker alone.
    sendSignal(this.pid, signal, false)
  }

  signal(signal: NodeJS.Signals): void {
    sendSignal(this.pid, signal, false)
  }

  send(message: unknown): Promise<void> {
    return new Promise((resolve, reject) => {
      if (!this.connected) return reject(new Error('IPC channel closed'))
      this.#worker.send(message as never, undefined, (error: Error | null) => (error ? reject(error) : resolve()))
    })
  }
}

export class ClusterRunner implements Runner {
  spawn(request: SpawnRequest, hooks: ChildHooks): Promise<RunningChild> {
    const { spec } = request
    return new Promise((resolve, reject) => {
      let worker: Worker
      try {
        cluster.setupPrimary({
          exec: assetPath('cluster-container.cjs'),
          args: [spec.script, ...spec.args],
          execArgv: [...spec.interpreterArgs],
          cwd: spec.cwd,
          silent: true,
          windowsHide: true,
        })
        worker = cluster.fork({
          ...request.env,
          TEND_KILL_SIGNAL: spec.killSignal,
          TEND_KILL_TIMEOUT: String(spec.killTimeout),
        })
      } catch (error) {
        return reject(new SpawnError(spec.name, spec.script, error))
      }
      const onError = (error: Error): void => reject(new SpawnError(spec.name, process.execPath, error))
      worker.process.once('error', onError)
      worker.process.once('spawn', () => {
        worker.process.off('error', onError)
        resolve(new ClusterChild(worker, spec, hooks))
      })
    })
  }
}
