/**
 * Where the messages of tendjs/app (and of @pm2/io / tx2) enter: a Runner
 * wrapper that takes them off each child's IPC channel before the process
 * sees them, and keeps, per process, its latest metrics, its actions and its
 * calls in flight. The entry of a process goes with its child's exit, so a
 * stopped or deleted process has no series left; a reload's replacement
 * takes over the entry from the child it replaces.
 */
import type { ActionReply, MetricSnapshot } from '../app/protocol.js'
import { isTendMessage } from '../app/protocol.js'
import { ActionCalls } from '../actions/action-calls.js'
import type { ChildHooks, Runner, RunningChild, SpawnRequest } from '../runners/runner.js'
import { fromMonitor, isPm2Message, pm2ActionName } from './pm2-io.js'
import { checkMetric, MAX_METRICS_PER_PROCESS, type MetricProblem } from './validate.js'

/** One running child as the app SDK sees it. */
export class ChildChannel {
  readonly id: number
  readonly instance: number
  readonly app: string
  readonly child: RunningChild
  #calls: ActionCalls | null = null
  #tend: readonly MetricSnapshot[] = []
  #pm2: readonly MetricSnapshot[] = []
  reportedAt: number | null = null
  exited = false
  /** The child this one replaces while both run (a reload): current again should this one fail. */
  previous: ChildChannel | undefined
  /** Metric names already reported as bad, so each is reported once per run. */
  readonly reported = new Set<string>()

  constructor(request: SpawnRequest, child: RunningChild) {
    this.id = request.id
    this.instance = request.instance
    this.app = request.spec.name
    this.child = child
  }

  /** The child's actions and the calls in flight (made on first use: most children never register one). */
  get calls(): ActionCalls {
    if (!this.#calls) {
      const child = this.child
      this.#calls = new ActionCalls({ id: this.id, app: this.app, send: (message) => child.send(message) })
      if (this.exited) this.#calls.close()
    }
    return this.#calls
  }

  /** The child has exited: every call in flight ends. */
  close(): void {
    this.exited = true
    this.#calls?.close()
  }

  get metrics(): readonly MetricSnapshot[] {
    if (this.#pm2.length === 0) return this.#tend
    // a tendjs/app metric wins over a probe of the same name
    const names = new Set(this.#tend.map((metric) => metric.name))
    return [...this.#tend, ...this.#pm2.filter((metric) => !names.has(metric.name))]
  }

  setMetrics(source: 'tend' | 'pm2', metrics: readonly MetricSnapshot[]): void {
    if (source === 'tend') this.#tend = metrics
    else this.#pm2 = metrics
    this.reportedAt = Date.now()
  }
}

/** The newest of a channel and those it replaced whose child still runs. */
function live(channel: ChildChannel | undefined): ChildChannel | undefined {
  while (channel?.exited) channel = channel.previous
  if (channel) channel.previous = live(channel.previous)
  return channel
}

export interface ChannelEvents {
  /** A metric a process reported was dropped; called once per metric name and run. */
  onProblem(channel: ChildChannel, problem: MetricProblem): void
}

export class AppChannels {
  readonly #byId = new Map<number, ChildChannel>()
  readonly #events: ChannelEvents

  constructor(events: ChannelEvents) {
    this.#events = events
  }

  /** The channel of process `id`'s current child, if it runs. */
  get(id: number): ChildChannel | undefined {
    return this.#byId.get(id)
  }

  all(): ChildChannel[] {
    return [...this.#byId.values()]
  }

  /** The runner, with the app SDK's messages taken off each child's channel. */
  wrap(runner: Runner): Runner {
    return {
      spawn: async (request: SpawnRequest, hooks: ChildHooks): Promise<RunningChild> => {
        // messages that come before spawn() has resolved wait for the channel
        const opening: { channel?: ChildChannel; early: unknown[] } = { early: [] }
        const child = await runner.spawn(request, {
          ...hooks,
          onMessage: (message) => {
            if (!isTendMessage(message) && !isPm2Message(message)) return hooks.onMessage(message)
            if (opening.channel) this.#receive(opening.channel, message)
            else opening.early.push(message)
          },
        })
        // a child without an IPC channel (not node, or a binary) can report nothing: no channel to keep
        if (!child.connected) return child
        const opened = new ChildChannel(request, child)
        opened.previous = live(this.#byId.get(request.id))
        this.#byId.set(request.id, opened)
        for (const message of opening.early) this.#receive(opened, message)
        opening.channel = opened
        void child.exited.then(() => {
          opened.close()
          if (this.#byId.get(opened.id) !== opened) return
          const previous = live(opened.previous)
          if (previous) this.#byId.set(opened.id, previous)
          else this.#byId.delete(opened.id)
        })
        return child
      },
    }
  }

  #receive(channel: ChildChannel, message: unknown): void {
    const { type, data } = message as { type: string; data?: unknown }
    switch (type) {
      case 'tend:metrics':
        return channel.setMetrics('tend', this.#checked(channel, (message as { metrics?: unknown }).metrics))
      case 'tend:actions':
        return channel.calls.setTendNames((message as { names?: unknown }).names)
      case 'tend:action-result':
        return channel.calls.onTendReply(message as ActionReply)
      case 'axm:monitor':
        return channel.setMetrics('pm2', this.#checked(channel, fromMonitor(data)))
      case 'axm:action': {
        const name = pm2ActionName(data)
        if (name) channel.calls.addPm2Name(name)
        return
      }
      case 'axm:reply':
        return channel.calls.onPm2Reply(data)
      default:
        return // other tend:* and axm:* messages (events, profiling, options) have no use here yet
    }
  }

  #checked(channel: ChildChannel, raw: unknown): MetricSnapshot[] {
    const list = Array.isArray(raw) ? raw : []
    const kept: MetricSnapshot[] = []
    const seen = new Set<string>()
    for (const entry of list.slice(0, MAX_METRICS_PER_PROCESS)) {
      const checked = checkMetric(entry)
      if ('problem' in checked) this.report(channel, checked.problem)
      else if (seen.has(checked.metric.name)) this.report(channel, { metric: checked.metric.name, reason: 'defined twice' })
      else {
        seen.add(checked.metric.name)
        kept.push(checked.metric)
      }
    }
    if (list.length > MAX_METRICS_PER_PROCESS) {
      this.report(channel, { metric: '*', reason: `more than ${MAX_METRICS_PER_PROCESS} metrics; the rest are dropped` })
    }
    return kept
  }

  /** Reports a problem with a process's metric, once per metric name and run. */
  report(channel: ChildChannel, problem: MetricProblem): void {
    if (channel.reported.has(problem.metric)) return
    channel.reported.add(problem.metric)
    this.#events.onProblem(channel, problem)
  }
}
