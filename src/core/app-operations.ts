/**
 * What each public operation does to an app, under the app's lock: start,
 * stop, restart, reload, scale, delete, signal, send, flush and close. The
 * Supervisor validates its input and delegates here; this module resolves
 * the target at the operation's turn (runPlanned) and orchestrates the
 * processes, their logs and their triggers. It answers with the processes
 * it acted on; the facade turns them into snapshots.
 */
import { debuglog } from 'node:util'
import { ExistsError, NotFoundError } from '../errors.js'
import type { LogManager } from '../logs/log-manager.js'
import type { OutputBuffer } from '../logs/output-buffer.js'
import type { AppSpec, NormalizedSpec, Target } from '../types.js'
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

export interface AppOperationsDeps {
  readonly registry: Registry
  readonly queue: KeyedQueue
  readonly membership: AppMembership
  readonly logs: LogManager<ManagedProcess>
  readonly output: OutputBuffer
  readonly triggers: TriggerSwitch
}

export class AppOperations {
  readonly #registry: Registry
  readonly #queue: KeyedQueue
  readonly #membership: AppMembership
  readonly #logs: LogManager<ManagedProcess>
  readonly #output: OutputBuffer
  readonly #triggers: TriggerSwitch

  constructor(deps: AppOperationsDeps) {
    this.#registry = deps.registry
    this.#queue = deps.queue
    this.#membership = deps.membership
    this.#logs = deps.logs
    this.#output = deps.output
    this.#triggers = deps.triggers
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
    const app = await this.#membership.createApp(spec, source)
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

  /** Restarts processes (starting stopped ones) one at a time, each online before the next. */
  restart(target: Target, signal?: AbortSignal): Promise<ManagedProcess[]> {
    return runPlanned(this.#registry, this.#queue, target, signal, async (app, processes) => {
      await this.#triggers.arm(app)
      for (const process of processes) {
        await process.restart('restart')
        await process.untilOnline(signal)
      }
    })
  }

  /**
   * Zero-downtime reload, one process at a time (ManagedProcess.reload). The
   * next replacement starts while the previous old child drains; the first
   * failure stops the round, and the processes after it stay as they were.
   */
  reload(target: Target, signal?: AbortSignal): Promise<ManagedProcess[]> {
    return runPlanned(this.#registry, this.#queue, target, signal, async (app, processes) => {
      await this.#triggers.arm(app) // a reload starts stopped processes too
      const retiring: Promise<void>[] = []
      try {
        for (const process of processes) {
          signal?.throwIfAborted()
          retiring.push((await process.reload()).retired)
        }
      } finally {
        await Promise.all(retiring)
      }
    })
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

  /** Waits for the operations in flight, stops every process, clears their timers and closes the log files. */
  async close(): Promise<void> {
    await this.#queue.idle()
    const processes = this.#registry.all()
    await Promise.allSettled(processes.map((process) => process.stop('stop')))
    for (const process of processes) process.dispose()
    await this.#logs.close()
  }
}
