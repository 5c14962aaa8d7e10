/**
 * What the dashboard (and `tend monit`) reads and acts on: a daemon over RPC
 * (`tend dashboard`, `tend monit`) or a Supervisor in this process (`tend
 * runtime --dashboard-port`). One interface, two small adapters, so the
 * views never care which one they talk to.
 */
import { InvalidArgumentError, RpcError } from '../../errors.js'
import { parseHistoryQuery, type HistoryAnswer, type HistoryQuery, type MetricsHistory } from '../../metrics/history.js'
import type { Supervisor } from '../../supervisor.js'
import type { LogLine, ProcessInfo, Target } from '../../types.js'
import type { SupervisorClient } from '../rpc/client.js'
import { RPC_METHOD_NOT_FOUND } from '../rpc/protocol.js'

/** What a user can do to processes from monit or the dashboard. */
export type Action =
  | { readonly action: 'restart' | 'reload' | 'stop' | 'delete'; readonly target: number | string }
  | { readonly action: 'scale'; readonly target: string; readonly delta: 1 | -1 }
  | { readonly action: 'signal'; readonly target: number | string; readonly signal: string }

export const ACTION_NAMES = ['restart', 'reload', 'stop', 'delete', 'scale', 'signal'] as const

/** An event as the views get it: its name (`process:online`, `log:out`, `metrics`…) and payload. */
export type SourceListener = (name: string, payload: unknown) => void

export interface DashboardSource {
  list(): Promise<ProcessInfo[]>
  logs(target: Target, lines: number): Promise<LogLine[]>
  /** The metrics history, or null when the other side keeps none (an older daemon). */
  history(query: HistoryQuery): Promise<HistoryAnswer | null>
  /** Custom metrics of the apps (`sup.metrics()`), or null where that feature does not exist. */
  customMetrics(): Promise<unknown>
  act(action: Action): Promise<ProcessInfo[]>
  /** Listens to process, log and metrics events; resolves with a function that stops listening. */
  subscribe(listener: SourceListener): Promise<() => Promise<void>>
  /** Resolves when the source went away (the daemon's connection closed); never for an in-process Supervisor. */
  readonly gone: Promise<void>
}

const PATTERNS = ['process:*', 'log:*', 'metrics'] as const

/** Checks an action that came from outside (an HTTP body): a typed error for anything malformed. */
export function parseAction(input: unknown): Action {
  if (typeof input !== 'object' || input === null) throw new InvalidArgumentError('action', 'An action is an object { action, target }')
  const { action, target, delta, signal } = input as Record<string, unknown>
  if (typeof action !== 'string' || !(ACTION_NAMES as readonly string[]).includes(action)) {
    throw new InvalidArgumentError('action', `action is one of ${ACTION_NAMES.join(', ')}, got ${JSON.stringify(action)}`)
  }
  if (!(typeof target === 'string' && target !== '') && !Number.isInteger(target)) {
    throw new InvalidArgumentError('target', `target is a process id or an app name, got ${JSON.stringify(target)}`)
  }
  if (action === 'scale') {
    if (typeof target !== 'string') throw new InvalidArgumentError('target', 'scale takes an app name')
    if (delta !== 1 && delta !== -1) throw new InvalidArgumentError('delta', `delta is 1 or -1, got ${JSON.stringify(delta)}`)
    return { action, target, delta }
  }
  if (action === 'signal') {
    if (typeof signal !== 'string' || !/^(SIG)?[A-Z0-9]+$/.test(signal)) {
      throw new InvalidArgumentError('signal', `signal is a signal name such as SIGUSR2, got ${JSON.stringify(signal)}`)
    }
    return { action, target: target as number | string, signal: signal.startsWith('SIG') ? signal : `SIG${signal}` }
  }
  return { action: action as 'restart', target: target as number | string }
}

type Actor = Pick<Supervisor, 'restart' | 'reload' | 'stop' | 'delete' | 'signal'> & {
  scale(name: string, count: string): Promise<ProcessInfo[]>
}

function perform(on: Actor, action: Action): Promise<ProcessInfo[]> {
  switch (action.action) {
    case 'scale':
      return on.scale(action.target, action.delta > 0 ? '+1' : '-1')
    case 'signal':
      return on.signal(action.target, action.signal as NodeJS.Signals)
    default:
      return on[action.action](action.target)
  }
}

/** A source over a daemon connection. */
export function clientSource(client: SupervisorClient): DashboardSource {
  return {
    list: () => client.list(),
    logs: (target, lines) => client.logs(target, { lines }),
    async history(query) {
      try {
        return await client.call<HistoryAnswer>('metricsHistory', [query])
      } catch (error) {
        if (isMissing(error)) return null
        throw error
      }
    },
    async customMetrics() {
      try {
        return await client.call('metrics', [])
      } catch (error) {
        if (isMissing(error)) return null
        throw error
      }
    },
    act: (action) => perform(client, action),
    async subscribe(listener) {
      const onEvent = (payload: unknown, name: string): void => listener(name, payload)
      for (const pattern of PATTERNS) await client.on(pattern, onEvent)
      return async () => {
        for (const pattern of PATTERNS) await client.off(pattern, onEvent).catch(() => undefined)
      }
    },
    gone: client.closed,
  }
}

/** A method the other side does not have (an older daemon, or a feature not built yet). */
function isMissing(error: unknown): boolean {
  return error instanceof RpcError && error.rpcCode === RPC_METHOD_NOT_FOUND
}

/** A source over a Supervisor in this process, with the history it records. */
export function supervisorSource(supervisor: Supervisor, history: MetricsHistory): DashboardSource {
  return {
    list: () => Promise.resolve(supervisor.list()),
    logs: (target, lines) => Promise.resolve(supervisor.logs(target, { lines })),
    history: (query) => Promise.resolve(history.query(parseHistoryQuery(query))),
    async customMetrics() {
      // Another part of tend adds sup.metrics(); show it when this build has it.
      const metrics = (supervisor as unknown as { metrics?: (target?: Target) => unknown }).metrics
      return typeof metrics === 'function' ? await metrics.call(supervisor, 'all') : null
    },
    act: (action) => perform(supervisor, action),
    subscribe(listener) {
      const subscriptions = PATTERNS.map((pattern) => {
        const onEvent = function (this: { event: string | string[] }, payload: unknown): void {
          listener(String(this.event), payload)
        }
        supervisor.bus.on(pattern, onEvent)
        return () => void supervisor.bus.off(pattern, onEvent)
      })
      return Promise.resolve(async () => {
        for (const unsubscribe of subscriptions) unsubscribe()
        return Promise.resolve()
      })
    },
    gone: new Promise<void>(() => {}),
  }
}
