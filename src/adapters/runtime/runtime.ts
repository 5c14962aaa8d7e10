/**
 * The foreground runtime for containers and systemd: a Supervisor with no
 * daemon, its apps' output forwarded line by line, an optional health
 * server, and an exit code that says how it ended.
 */
import { recordHistory } from '../../metrics/history.js'
import { Supervisor } from '../../supervisor.js'
import type { AppSpec, LogEvent, ProcessInfo } from '../../types.js'
import type { DashboardServer } from '../dashboard/server.js'
import { serveHealth, type HealthServer } from './health.js'

export interface RuntimeOptions {
  readonly apps: readonly AppSpec[]
  /** Where output lines go (one call per line, without its newline). */
  readonly stdout: (line: string) => void
  readonly stderr: (line: string) => void
  /** One JSON object per line instead of `name | line`. */
  readonly json?: boolean
  readonly healthPort?: number
  readonly healthHost?: string
  /** @default 1000 */
  readonly metricsInterval?: number
  /** Serve the web dashboard of this runtime's Supervisor (see docs/monit-and-dashboard.md). */
  readonly dashboard?: { readonly port: number; readonly host?: string; readonly token?: string; readonly label?: string }
}

export interface Runtime {
  readonly supervisor: Supervisor
  readonly health: HealthServer | null
  readonly dashboard: DashboardServer | null
  /**
   * Resolves with the exit code: 0 after `stop()` or when every app ended
   * on its own, 1 when every process has ended and at least one is errored.
   */
  readonly done: Promise<number>
  /** Stops every app gracefully (each within its killTimeout), then the health server. */
  stop(): Promise<number>
}

const ENDED = new Set(['stopped', 'errored'])

export async function startRuntime(options: RuntimeOptions): Promise<Runtime> {
  const supervisor = new Supervisor({ metricsInterval: options.metricsInterval ?? 1000 })
  let alive = true
  let health: HealthServer | null = null
  let dashboard: DashboardServer | null = null
  let history: { stop(): void } | null = null
  let finish!: (code: number) => void
  const done = new Promise<number>((resolve) => (finish = resolve))

  const say = (level: 'info' | 'error', message: string, fields: Record<string, unknown> = {}): void => {
    const write = level === 'error' ? options.stderr : options.stdout
    write(options.json ? JSON.stringify({ source: 'tend', level, message, ...fields, at: new Date().toISOString() }) : `tend | ${message}`)
  }
  // Whether an app has several instances (then lines say which), looked up once per app and again after a spawn (a scale).
  const several = new Map<string, boolean>()
  supervisor.on('process:spawn', ({ process: info }) => several.delete(info.name))
  const hasSeveral = (name: string): boolean => {
    let known = several.get(name)
    if (known === undefined) several.set(name, (known = (supervisor.describe(name)[0]?.spec.instances ?? 1) > 1))
    return known
  }
  const onLog = (stream: 'out' | 'err') => (event: LogEvent) => {
    const write = stream === 'out' ? options.stdout : options.stderr
    const { name, instance, id } = event.process
    if (options.json) write(JSON.stringify({ app: name, instance, id, stream, line: event.line, at: new Date(event.at).toISOString() }))
    else write(`${name}${instance > 0 || hasSeveral(name) ? `#${instance}` : ''} | ${event.line}`)
  }
  supervisor.on('log:out', onLog('out'))
  supervisor.on('log:err', onLog('err'))
  const label = (info: ProcessInfo): string => `${info.name}#${info.instance}`
  supervisor.on('process:online', ({ process: info }) =>
    say('info', `${label(info)} online (pid ${info.pid})`, { app: info.name, event: 'online' }),
  )
  supervisor.on('process:exit', ({ process: info, code, signal, reason }) => {
    say(reason === 'crash' ? 'error' : 'info', `${label(info)} exited with ${signal ?? code} (${reason})`, {
      app: info.name,
      event: 'exit',
      code,
      signal,
      reason,
    })
  })
  supervisor.on('process:errored', ({ process: info, error }) =>
    say('error', `${label(info)} errored: ${error.message}`, { app: info.name, event: 'errored' }),
  )
  supervisor.on('logfile:error', ({ app, path, error }) =>
    say('error', `log file ${path} of ${app} stopped taking writes: ${error.message}`, { app, event: 'logfile:error' }),
  )

  // When nothing runs or will run again, the runtime is over.
  const checkEnded = (): void => {
    if (!alive) return
    const processes = supervisor.list()
    if (processes.length === 0 || !processes.every((info) => ENDED.has(info.status))) return
    const errored = processes.filter((info) => info.status === 'errored').length
    say(errored > 0 ? 'error' : 'info', errored > 0 ? `every app has ended, ${errored} errored` : 'every app has ended')
    void stop(errored > 0 ? 1 : 0)
  }
  supervisor.on('process:errored', () => queueMicrotask(checkEnded))
  supervisor.on('process:stopped', () => queueMicrotask(checkEnded))
  supervisor.on('process:exit', () => queueMicrotask(checkEnded))

  let stopping: Promise<number> | null = null
  const stop = (code = 0): Promise<number> =>
    (stopping ??= (async () => {
      alive = false
      say('info', `stopping ${supervisor.list().filter((info) => info.pid !== null).length} process(es)`)
      await supervisor.close()
      await health?.close()
      await dashboard?.close()
      history?.stop()
      finish(code)
      return code
    })())

  if (options.healthPort !== undefined) {
    health = await serveHealth(supervisor, { port: options.healthPort, host: options.healthHost, alive: () => alive })
    say('info', `health server on port ${health.port}: /healthz /readyz /metrics`, { port: health.port })
  }
  if (options.dashboard) {
    const recorded = recordHistory(supervisor)
    history = recorded
    // Loaded only when asked for.
    const { serveDashboard } = await import('../dashboard/server.js')
    const { supervisorSource } = await import('../dashboard/source.js')
    try {
      dashboard = await serveDashboard({ ...options.dashboard, source: supervisorSource(supervisor, recorded.history) })
    } catch (error) {
      await stop(1)
      throw error
    }
    say('info', `dashboard on ${dashboard.url}`, { url: dashboard.url })
  }
  supervisor.start(options.apps).then(
    (started) => say('info', `started ${started.length} process(es)`),
    (error: unknown) => {
      say('error', `start failed: ${(error as Error).message}`)
      if (supervisor.list().length === 0) void stop(1)
      else checkEnded()
    },
  )
  return { supervisor, health, dashboard, done, stop: () => stop(0) }
}
