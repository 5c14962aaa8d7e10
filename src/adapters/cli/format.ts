/** How the CLI shows things: the process table, sizes, durations. */
import type { ProcessInfo } from '../../types.js'

export function formatBytes(bytes: number): string {
  if (!bytes) return '0b'
  const units = ['b', 'kb', 'mb', 'gb']
  let value = bytes
  let unit = 0
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024
    unit++
  }
  return `${value >= 10 || unit === 0 ? Math.round(value) : value.toFixed(1)}${units[unit]}`
}

export function formatDuration(ms: number): string {
  if (!ms) return '0'
  const s = Math.floor(ms / 1000)
  if (s < 60) return `${s}s`
  const m = Math.floor(s / 60)
  if (m < 60) return `${m}m`
  const h = Math.floor(m / 60)
  if (h < 24) return `${h}h`
  return `${Math.floor(h / 24)}D`
}

/** A plain-text table with a header row and columns padded to fit. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)))
  const line = (cells: readonly string[]): string =>
    cells
      .map((cell, column) => cell.padEnd(widths[column]!))
      .join('  ')
      .trimEnd()
  return [line(header), ...rows.map(line)].join('\n')
}

export const LIST_COLUMNS = ['id', 'name', 'namespace', 'mode', 'pid', 'status', 'restarts', 'uptime', 'cpu', 'memory'] as const

export function processTable(processes: readonly ProcessInfo[]): string {
  if (processes.length === 0) return 'No processes. Start one with: tend start <script|ecosystem file>'
  return table(
    LIST_COLUMNS,
    processes.map((info) => [
      String(info.id),
      info.name,
      info.namespace,
      info.mode,
      info.pid === null ? '-' : String(info.pid),
      statusCell(info),
      String(info.restarts),
      formatDuration(info.uptime),
      `${Math.round(info.cpu)}%`,
      formatBytes(info.memory),
    ]),
  )
}

/** The status, with what the probes say when they disagree with it: `online (not ready)`, `online (unhealthy)`. */
function statusCell(info: ProcessInfo): string {
  const { health } = info
  if (!health || info.status !== 'online') return info.status
  if (health.status === 'unhealthy') return `${info.status} (unhealthy)`
  return health.ready ? info.status : `${info.status} (not ready)`
}

/** `tend describe`'s health line: status, readiness, failures in a row, the last failure. */
function healthCell(info: ProcessInfo): string {
  const { health } = info
  if (!health) return '-'
  const checked = health.lastCheckAt === null ? 'not checked yet' : `checked ${new Date(health.lastCheckAt).toISOString()}`
  const failing = health.consecutiveFailures > 0 ? `, ${health.consecutiveFailures} failures in a row` : ''
  const last = health.lastError ? ` (last: ${health.lastError})` : ''
  return `${health.status}, ${health.ready ? 'ready' : 'not ready'}${failing}, ${checked}${last}`
}

/** `tend describe`: one block of key/value lines per process. */
export function describeProcess(info: ProcessInfo): string {
  const { spec } = info
  const rows: [string, string][] = [
    ['id', String(info.id)],
    ['name', info.name],
    ['namespace', info.namespace],
    ['instance', String(info.instance)],
    ['mode', info.mode],
    ['status', info.status],
    ['health', healthCell(info)],
    ['pid', info.pid === null ? '-' : String(info.pid)],
    ['restarts', `${info.restarts} (unstable in a row: ${info.unstableRestarts})`],
    ['uptime', formatDuration(info.uptime)],
    ['started at', info.startedAt === null ? '-' : new Date(info.startedAt).toISOString()],
    ['last exit', info.exitCode === null && info.signal === null ? '-' : String(info.signal ?? info.exitCode)],
    ['cpu', `${Math.round(info.cpu)}%`],
    ['memory', formatBytes(info.memory)],
    ['script', spec.script],
    ['args', spec.args.join(' ') || '-'],
    ['interpreter', spec.interpreter ?? '(none)'],
    ['interpreter args', spec.interpreterArgs.join(' ') || '-'],
    ['cwd', spec.cwd],
    ['instances', String(spec.instances)],
    ['kill', `${spec.killSignal}, SIGKILL after ${spec.killTimeout} ms`],
    ...Object.entries(info.logFiles).map(([stream, path]): [string, string] => [`log (${stream})`, String(path)]),
  ]
  const env = Object.entries(spec.env)
  const width = Math.max(...rows.map(([key]) => key.length))
  const lines = rows.map(([key, value]) => `${key.padEnd(width)}  ${value}`)
  if (env.length > 0) lines.push('env', ...env.sort(([a], [b]) => a.localeCompare(b)).map(([key, value]) => `  ${key}=${value}`))
  return lines.join('\n')
}
