/**
 * The daemon's opt-in Prometheus endpoint: `tend daemon --metrics-port
 * <port> [--metrics-host <host>]`, or `TEND_METRICS_PORT` /
 * `TEND_METRICS_HOST` in the environment of the first CLI command (which
 * launches the daemon with its environment). Loopback unless a host says
 * otherwise; loaded only when asked for, so a daemon without it stays small.
 */
import type { Supervisor } from '../../supervisor.js'
import { CliError } from './context.js'

export interface MetricsEndpoint {
  readonly port: number
  readonly host: string
}

/** The endpoint asked for by flags (first) or the environment, or null. */
export function metricsEndpoint(
  flags: { metricsPort?: string; metricsHost?: string },
  env: Readonly<Record<string, string | undefined>>,
): MetricsEndpoint | null {
  const given = flags.metricsPort ?? env.TEND_METRICS_PORT
  if (given === undefined || given === '') return null
  const port = Number(given)
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new CliError(`--metrics-port takes a port number, got "${given}"`)
  return { port, host: flags.metricsHost ?? env.TEND_METRICS_HOST ?? '127.0.0.1' }
}

/** Flags from a bare argv (the daemon's own entry has no CLI parser). */
export function metricsFlags(argv: readonly string[]): { metricsPort?: string; metricsHost?: string } {
  const value = (flag: string): string | undefined => {
    const index = argv.indexOf(flag)
    return index === -1 ? undefined : argv[index + 1]
  }
  const metricsPort = value('--metrics-port')
  const metricsHost = value('--metrics-host')
  return { ...(metricsPort === undefined ? {} : { metricsPort }), ...(metricsHost === undefined ? {} : { metricsHost }) }
}

/** Serves /metrics (and /healthz, /readyz) for the daemon's Supervisor until closed. */
export async function serveDaemonMetrics(supervisor: Supervisor, endpoint: MetricsEndpoint, alive: () => boolean) {
  const { serveHealth } = await import('../runtime/health.js')
  return serveHealth(supervisor, { port: endpoint.port, host: endpoint.host, alive })
}
