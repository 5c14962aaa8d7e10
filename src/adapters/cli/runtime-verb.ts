/** `tend runtime <ecosystem>`: the apps in the foreground, for Docker, Kubernetes and systemd. */
import { CliError, warn } from './context.js'
import { exposedWarning, parsePort } from './dashboard-verb.js'

export interface RuntimeVerbOptions {
  readonly env?: string
  readonly only?: string
  readonly json?: boolean
  readonly healthPort?: string
  readonly healthHost?: string
  readonly dashboardPort?: string
  readonly dashboardHost?: string
  readonly exitOnEnd?: boolean
}

export async function runtime(file: string, options: RuntimeVerbOptions): Promise<void> {
  const port = options.healthPort === undefined ? undefined : Number(options.healthPort)
  if (port !== undefined && (!Number.isInteger(port) || port < 0 || port > 65535)) {
    throw new CliError(`--health-port takes a port number, got "${options.healthPort}"`, { exitCode: 2 })
  }
  const dashboardPort = parsePort('--dashboard-port', options.dashboardPort)
  const { loadEcosystem } = await import('../../ecosystem/load.js')
  const ecosystem = await loadEcosystem(file, { env: options.env, only: options.only?.split(',').map((name) => name.trim()) })
  for (const warning of ecosystem.warnings) warn(`${ecosystem.path}: ${warning}`)
  // Loaded when used: the Supervisor and the Prometheus client are not what the client verbs need.
  const { startRuntime } = await import('../runtime/runtime.js')
  const run = await startRuntime({
    apps: ecosystem.apps,
    groups: ecosystem.groups,
    json: options.json,
    exitOnEnd: options.exitOnEnd,
    healthPort: port,
    healthHost: options.healthHost,
    dashboard:
      dashboardPort === undefined
        ? undefined
        : { port: dashboardPort, host: options.dashboardHost, token: process.env.TEND_DASHBOARD_TOKEN || undefined, label: ecosystem.path },
    stdout: (line) => process.stdout.write(`${line}\n`),
    stderr: (line) => process.stderr.write(`${line}\n`),
  })
  if (run.dashboard && !run.dashboard.loopback) warn(exposedWarning(run.dashboard.host))
  const stop = (): void => void run.stop()
  process.on('SIGTERM', stop)
  process.on('SIGINT', stop)
  const code = await run.done
  process.off('SIGTERM', stop)
  process.off('SIGINT', stop)
  // Let stdout drain before the status is set and the process ends on its own.
  process.exitCode = code
}
