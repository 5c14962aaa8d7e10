/**
 * The foreground runtime for containers and systemd: a Supervisor with no
 * daemon, its apps' output forwarded line by line, an optional health
 * server, and an exit code that says how it ended.
 */
import { recordHistory } from '../../metrics/history.js'
import { Supervisor } from '../../supervisor.js'
import type { AppSpec, GroupSpec, LogEvent, ProcessInfo } from '../../types.js'
import type { DashboardServer } from '../dashboard/server.js'
import { RUNTIME_EXIT, watchEndings } from './endings.js'
import { serveHealth, type HealthServer } from './health.js'

export interface RuntimeOptions {
  readonly apps: readonly AppSpec[]
  /** Supervision groups the apps name with `group` (an ecosystem file's top-level `groups`). */
  readonly groups?: Readonly<Record<string, GroupSpec>>
  /** Where output lines go (one call per line, without its newline). */
  readonly stdout: (line: string) => void
  readonly stderr: (line: string) => void
  /** One JSON object per line instead of `name | line`. */
  readonly json?: boolean
  readonly healthPort?: number
  readonly healthHost?: string
  /** @default 1000 */
  readonly metricsInterval?: number
  /** End (code 0) once every app has ended cleanly, instead of staying up until stopped. @default false */
  readonly exitOnEnd?: boolean
  /** Serve the web dashboard of this runtime's Supervisor (see docs/monit-and-dashboard.md). */
  readonly dashboard?: { readonly port: number; readonly host?: string; readonly token?: string; readonly label?: string }
}

export interface Runtime {
  readonly supervisor: Supervisor
  readonly health: HealthServer | null
  readonly dashboard: DashboardServer | null
  /** Resolves with the exit code: one of {@link RUNTIME_EXIT} (see endings.ts for when). */
  readonly done: Promise<number>
  /** Stops every app gracefully (each within its killTimeout), then the health server. */
  stop(): Promise<number>
}

export async function startRuntime(options: RuntimeOptions): Promise<Runtime> {
  const supervisor = new Supervisor({ metricsInterval: options.metricsInterval ?? 1000, groups: options.groups })
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
  supervisor.on('group:restart', ({ group, strategy, trigger, reason, apps }) =>
    say('info', `group ${group} (${strategy}): ${label(trigger)} exited (${reason}); restarting ${apps.join(', ')}`, {
      group,
      event: 'group:restart',
      apps,
    }),
  )
  supervisor.on('logfile:error', ({ app, path, error }) =>
    say('error', `log file ${path} of ${app} stopped taking writes: ${error.message}`, { app, event: 'logfile:error' }),
  )

  // A critical app giving up, or every process ended: see endings.ts for the rules and codes.
  const endings = watchEndings(supervisor, {
    exitOnEnd: options.exitOnEnd ?? false,
    end: (ending) => {
      if (!alive) return
      const fields = {
        event: 'end',
        code: ending.code,
        ...(ending.app ? { app: ending.app } : {}),
        ...(ending.group ? { group: ending.group } : {}),
      }
      say(ending.code === RUNTIME_EXIT.ok ? 'info' : 'error', `${ending.message}: exiting with ${ending.code}`, fields)
      void stop(ending.code)
    },
    // not while stopping: the apps ended because the runtime stops them
    idle: (message) => {
      if (alive) say('info', message)
    },
  })

  let stopping: Promise<number> | null = null
  const stop = (code = 0): Promise<number> =>
    (stopping ??= (async () => {
      alive = false
      say('info', `stopping ${supervisor.list().filter((info) => info.pid !== null).length} process(es)`)
      // every app within its killTimeout, dependents before what they depend on (dependsOn)
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
      await stop(RUNTIME_EXIT.failed)
      throw error
    }
    say('info', `dashboard on ${dashboard.url}`, { url: dashboard.url })
  }
  supervisor.start(options.apps).then(
    (started) => {
      say('info', `started ${started.length} process(es)`)
      endings.started()
    },
    (error: unknown) => {
      // stopped (SIGTERM) while apps waited on their dependencies: they were not started because it stops
      if (!alive) return
      say('error', `start failed: ${describeStartError(error)}`)
      // nothing was started (a bad spec, a dependency cycle): nothing will end on its own
      if (supervisor.list().length === 0) void stop(RUNTIME_EXIT.failed)
      else endings.started()
    },
  )
  return { supervisor, health, dashboard, done, stop: () => stop(0) }
}

/** The message and, for tend's own errors, the code: `… (TEND_ERR_DEPENDENCY)`. */
function describeStartError(error: unknown): string {
  const { message, code } = error as { message?: unknown; code?: unknown }
  const text = String(message ?? error)
  return typeof code === 'string' && code.startsWith('TEND_ERR_') ? `${text} (${code})` : text
}
