/**
 * The supervisor's side of tendjs/app in one object: the channels (where
 * the children's reports and action answers arrive), `metrics()`,
 * `prometheus()` and `invoke()`. The Supervisor gives it the processes a
 * target names; it never resolves targets itself.
 */
import { ActionUnknownError, InvalidArgumentError } from '../errors.js'
import type { ProcessInfo } from '../types.js'
import type { Runner } from '../runners/runner.js'
import { families, type Reporter } from './aggregate.js'
import { AppChannels, type ChildChannel } from './channels.js'
import type { ActionOutcome, InvokeOptions, ProcessMetrics } from './types.js'
import type { MetricProblem } from './validate.js'

export const DEFAULT_ACTION_TIMEOUT = 10_000

/** A process as this module needs it. */
export interface SdkProcess {
  readonly id: number
  readonly instance: number
  readonly spec: { readonly name: string }
}

export class AppSdk {
  readonly #channels: AppChannels

  constructor(onProblem: (id: number, problem: MetricProblem) => void) {
    this.#channels = new AppChannels({ onProblem: (channel, problem) => onProblem(channel.id, problem) })
  }

  wrap(runner: Runner): Runner {
    return this.#channels.wrap(runner)
  }

  metrics(processes: readonly SdkProcess[]): ProcessMetrics[] {
    return processes.map((process) => {
      const channel = this.#channels.get(process.id)
      return {
        id: process.id,
        name: process.spec.name,
        instance: process.instance,
        metrics: channel?.metrics ?? [],
        actions: channel?.calls.names ?? [],
        reportedAt: channel?.reportedAt ?? null,
      }
    })
  }

  /** The exposition text for these processes (all of a Supervisor's, in practice). */
  async prometheus(infos: readonly ProcessInfo[]): Promise<string> {
    const reporters: (Reporter & { channel: ChildChannel })[] = []
    for (const info of infos) {
      const channel = this.#channels.get(info.id)
      if (channel && channel.metrics.length > 0) {
        reporters.push({ app: info.name, instance: info.instance, id: info.id, metrics: channel.metrics, channel })
      }
    }
    const custom = families(reporters, (reporter, problem) =>
      this.#channels.report((reporter as Reporter & { channel: ChildChannel }).channel, problem),
    )
    // prom-client loads on the first scrape, not with the library (the daemon stays small without it)
    const { exposition } = await import('./prometheus.js')
    return exposition(infos, custom)
  }

  /** Runs `action` in each process; one outcome per process, in the order given. */
  async invoke(processes: readonly SdkProcess[], action: string, params: unknown, options: InvokeOptions = {}): Promise<ActionOutcome[]> {
    if (typeof action !== 'string' || action === '') {
      throw new InvalidArgumentError('action', `Expected an action name, got ${JSON.stringify(action)}`)
    }
    const timeout = options.timeout ?? DEFAULT_ACTION_TIMEOUT
    if (!Number.isInteger(timeout) || timeout <= 0) {
      throw new InvalidArgumentError('timeout', `Expected a timeout in ms (an integer > 0), got ${String(timeout)}`)
    }
    options.signal?.throwIfAborted()
    const settled = await Promise.allSettled(
      processes.map((process) => {
        const channel = this.#channels.get(process.id)
        // a process that is not running has no actions
        if (!channel) return Promise.reject(new ActionUnknownError({ action, app: process.spec.name, id: process.id }))
        return channel.calls.call(action, params, timeout)
      }),
    )
    options.signal?.throwIfAborted()
    return settled.map((result, index) => {
      const { id, instance, spec } = processes[index]!
      const of = { id, name: spec.name, instance }
      return result.status === 'fulfilled'
        ? { ...of, status: 'fulfilled', value: result.value }
        : { ...of, status: 'rejected', reason: result.reason as Extract<ActionOutcome, { status: 'rejected' }>['reason'] }
    })
  }
}
