/**
 * `tend describe` (`show`, `info`): the facts a person looks for first —
 * status, pid, uptime, restarts, the last exit and why, cpu and memory, the
 * policy and triggers that are on, log files, ports — and the environment
 * only when asked (`--env`).
 */
import type { GroupInfo, NormalizedSpec, ProcessDescription, ProcessHealth, ProcessInfo } from '../../types.js'
import type { LastExit } from '../daemon/last-exits.js'
import { colors, cpuText, formatBytes, memoryText, paintStatus, uptimeText } from './format.js'

export interface DescribeOptions {
  readonly env?: boolean
  readonly color?: boolean
  /** The daemon's record of the process's last exit, when it has one. */
  readonly lastExit?: LastExit
  /** The complete environment the process runs with (Supervisor.environment()), shown by `env` instead of the spec's. */
  readonly environment?: Readonly<Record<string, string>>
  /** The process's supervision group as the daemon reports it (Supervisor.groups()). */
  readonly group?: GroupInfo
}

const ms = (value: number): string => (value % 1000 === 0 && value >= 1000 ? `${value / 1000} s` : `${value} ms`)

function lastExitText(info: ProcessInfo, exit: LastExit | undefined): string {
  const code = exit ?? { code: info.exitCode, signal: info.signal }
  if (code.code === null && code.signal === null) return '-'
  const parts = [code.signal ? `signal ${code.signal}` : `code ${code.code}`]
  if (exit) {
    parts.push(exit.reason)
    if (exit.forced) parts.push('forced: SIGKILL after killTimeout')
    parts.push(`at ${new Date(exit.at).toISOString()}`)
  }
  return parts.join(', ')
}

function policyText(spec: NormalizedSpec): string {
  if (!spec.autorestart) return 'no autorestart'
  const parts = [
    `restart after ${spec.backoff ? `a backoff from ${ms(spec.backoff.initialDelay)} (×${spec.backoff.factor}, up to ${ms(spec.backoff.maxDelay)})` : ms(spec.restartDelay)}`,
  ]
  parts.push(`errored after ${spec.maxRestarts} unstable restarts (runs under ${ms(spec.minUptime)})`)
  if (spec.stopExitCodes.length > 0) parts.push(`exit codes ${spec.stopExitCodes.join(', ')} end it`)
  return parts.join('; ')
}

function triggerLines(spec: NormalizedSpec): [string, string][] {
  const rows: [string, string][] = []
  if (spec.maxMemoryRestart !== null) rows.push(['memory limit', `${formatBytes(spec.maxMemoryRestart)} (restart above it)`])
  if (spec.cronRestart !== null) rows.push(['cron restart', spec.cronRestart])
  if (spec.watch) {
    const ignoring = spec.ignoreWatch.length > 0 ? `, ignoring ${spec.ignoreWatch.join(', ')}` : ''
    rows.push(['watch', `${spec.watch.join(', ')} (restart ${ms(spec.watchDelay)} after a change${ignoring})`])
  }
  return rows
}

/** Ports, where this tend knows them: sockets the supervisor holds (`listen`), else a PORT in the env. */
function portsText(info: ProcessDescription): string | null {
  // `?? []`: a daemon older than held sockets sends none
  const held = info.sockets ?? []
  if (held.length > 0) {
    const address = (host: string, port: number): string => (host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`)
    return `${held.map((socket) => `${address(socket.host, socket.port)} (fd ${socket.fd}, ${socket.name})`).join(', ')}, held by tend`
  }
  const port = info.spec.env.PORT
  return port ? `PORT=${port} (from the env)` : null
}

const STRATEGY_TEXT = {
  one_for_all: 'a crash restarts every member',
  rest_for_one: 'a crash restarts its app and the members after it',
  one_for_one: 'a crash restarts the process alone',
} as const

/** The group, its strategy and intensity, the members in the order it goes by, and how it fares. */
export function groupText(name: string, group: GroupInfo | undefined): string {
  if (!group) return name
  const parts = [`${name}, ${group.strategy} (${STRATEGY_TEXT[group.strategy]}; members in order: ${group.apps.join(', ')})`]
  parts.push(`gives up after ${group.maxRestarts} restarts within ${ms(group.period)} (${group.recentRestarts} so far)`)
  if (group.status !== 'running') parts.push(group.status === 'errored' ? 'GAVE UP: members stopped' : 'restarting now')
  return parts.join('; ')
}

/** The probes' last word: status, readiness, failures in a row, when, and why the last check failed. */
function healthText(health: ProcessHealth): string {
  const parts = [health.status, health.ready ? 'ready' : 'not ready']
  if (health.consecutiveFailures > 0) parts.push(`${health.consecutiveFailures} failed check(s) in a row`)
  if (health.lastCheckAt !== null) parts.push(`last check ${new Date(health.lastCheckAt).toISOString()}`)
  if (health.lastError) parts.push(`last error: ${health.lastError}`)
  return parts.join(', ')
}

export function describeProcess(info: ProcessDescription, options: DescribeOptions = {}): string {
  const c = colors(options.color)
  const { spec } = info
  const rows: [string, string][] = [
    ['status', paintStatus(c, info.status)],
    ['pid', info.pid === null ? '-' : String(info.pid)],
    ['uptime', info.pid === null ? '-' : `${uptimeText(info)} (since ${new Date(info.startedAt!).toISOString()})`],
    ['restarts', `${info.restarts}${info.unstableRestarts > 0 ? ` (${info.unstableRestarts} unstable in a row)` : ''}`],
    ['last exit', lastExitText(info, options.lastExit)],
    ['cpu, memory', `${cpuText(info)}, ${memoryText(info)}`],
    ['mode', `${info.mode}, instance ${info.instance} of ${spec.instances}`],
    ['script', [spec.interpreter, ...spec.interpreterArgs, spec.script, ...spec.args].filter(Boolean).join(' ')],
    ['cwd', spec.cwd],
    ['restart policy', policyText(spec)],
    [
      'stop',
      spec.shutdownWithMessage
        ? `'shutdown' message, SIGKILL after ${ms(spec.killTimeout)}`
        : `${spec.killSignal}${spec.treekill && info.mode === 'fork' ? ' to the process group' : ''}, SIGKILL after ${ms(spec.killTimeout)}`,
    ],
  ]
  if (spec.waitReady) rows.push(['readiness', `waits for 'ready', up to ${ms(spec.listenTimeout)}`])
  if (info.confirmedReady === false)
    rows.push([
      'ready',
      `not confirmed: online because listen_timeout (${ms(spec.listenTimeout)}) ran out before it listened or sent 'ready'`,
    ])
  // with no child, what its last child's probes found: history, not how it fares
  if (info.health) rows.push(['health', `${info.pid === null ? 'last run: ' : ''}${healthText(info.health)}`])
  // `?? null`: a daemon older than groups sends specs without the key
  const group = spec.group ?? null
  if (group !== null) rows.push(['group', groupText(group, options.group)])
  if (spec.critical) rows.push(['critical', 'yes: tend runtime exits (code 3) when it gives up'])
  rows.push(...triggerLines(spec))
  const ports = portsText(info)
  if (ports) rows.push(['ports', ports])
  for (const [stream, path] of Object.entries(info.logFiles)) rows.push([`log ${stream}`, String(path)])
  if (Object.keys(info.logFiles).length === 0) rows.push(['logs', 'no files (memory only)'])
  // with the daemon's environment() (describe --env), the complete environment the process runs with
  const env = Object.entries(options.environment ?? spec.env).sort(([a], [b]) => a.localeCompare(b))
  if (!options.env) rows.push(['env', `${env.length} variable(s); --env shows them (secret-looking values as [redacted])`])

  const width = Math.max(...rows.map(([key]) => key.length))
  const lines = [
    c.bold(`${info.name} (id ${info.id}, namespace ${info.namespace})`),
    ...rows.map(([key, value]) => `  ${key.padEnd(width)}  ${value}`),
  ]
  if (options.env) lines.push('  env', ...env.map(([key, value]) => `    ${key}=${value}`))
  return lines.join('\n')
}
