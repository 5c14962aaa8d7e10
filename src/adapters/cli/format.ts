/**
 * How the CLI shows things: the process table PM2 users read, sizes,
 * durations, colour. Colour comes from picocolors (tiny, no dependencies,
 * maintained), only on a terminal, never with NO_COLOR or --no-color.
 */
import picocolors from 'picocolors'
import type { ProcessInfo, Status } from '../../types.js'

export type Colors = ReturnType<typeof picocolors.createColors>

/** Colours for stdout: on a TTY unless NO_COLOR is set or --no-color was given; FORCE_COLOR forces them. */
export function colors(option?: boolean): Colors {
  const env = process.env
  const forced = env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0'
  const enabled = option !== false && !('NO_COLOR' in env && env.NO_COLOR !== '') && (forced || process.stdout.isTTY === true)
  return picocolors.createColors(enabled)
}

export function formatBytes(bytes: number): string {
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
  const s = Math.floor(ms / 1000)
  if (s < 60) return `${s}s`
  const m = Math.floor(s / 60)
  if (m < 60) return `${m}m`
  const h = Math.floor(m / 60)
  if (h < 24) return `${h}h`
  return `${Math.floor(h / 24)}D`
}

/** A running process always has resident memory: 0 means no metrics sample has reached it yet. */
export function sampled(info: ProcessInfo): boolean {
  return info.pid !== null && info.memory > 0
}

export const uptimeText = (info: ProcessInfo): string => (info.pid === null ? '-' : formatDuration(info.uptime))
export const cpuText = (info: ProcessInfo): string => (sampled(info) ? `${Math.round(info.cpu)}%` : '-')
export const memoryText = (info: ProcessInfo): string => (sampled(info) ? formatBytes(info.memory) : '-')

export function paintStatus(c: Colors, status: Status, text: string = status): string {
  if (status === 'online') return c.green(text)
  if (status === 'errored') return c.red(text)
  if (status === 'stopped' || status === 'stopping') return c.gray(text)
  return c.yellow(text)
}

/**
 * A plain-text table: a header row and columns padded to fit (widths from
 * the text before colour). Plain on purpose: `grep` and `awk` read it, and a
 * pipe gets no box-drawing or escape codes.
 */
export function table(
  header: readonly string[],
  rows: readonly (readonly string[])[],
  paint?: (row: number, column: number, cell: string) => string,
): string {
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)))
  const line = (cells: readonly string[], row: number): string =>
    cells
      .map((cell, column) => {
        const padded = column === cells.length - 1 ? cell : cell.padEnd(widths[column]!)
        return paint && row >= 0 ? paint(row, column, padded) : padded
      })
      .join('  ')
      .trimEnd()
  return [line(header, -1), ...rows.map((row, index) => line(row, index))].join('\n')
}

export const LIST_COLUMNS = ['id', 'name', 'namespace', 'mode', 'pid', 'uptime', '↺', 'status', 'cpu', 'mem', 'watching'] as const

export interface TableOptions {
  readonly color?: boolean
  /** Apps whose supervision group gave up: their stopped processes read `stopped (group gave up)`. */
  readonly gaveUp?: ReadonlySet<string>
}

export function processTable(processes: readonly ProcessInfo[], options: TableOptions = {}): string {
  if (processes.length === 0) return 'No processes. Start one with: tend start <script|ecosystem file>'
  const c = colors(options.color)
  const rows = processes.map((info) => [
    String(info.id),
    info.name,
    info.namespace,
    info.mode,
    info.pid === null ? '-' : String(info.pid),
    uptimeText(info),
    String(info.restarts),
    statusCell(info, options.gaveUp),
    cpuText(info),
    memoryText(info),
    info.watching ? 'enabled' : 'disabled',
  ])
  const text = table(LIST_COLUMNS, rows, (row, column, cell) => {
    const info = processes[row]!
    if (column === 7) return paintStatus(c, info.status, cell)
    if (column === 1) return c.cyan(cell)
    if (column === 6 && info.restarts > 0) return c.yellow(cell)
    return cell
  })
  // The header is made bold after padding, so the widths stay those of the plain text.
  const [first, ...rest] = text.split('\n')
  return [c.bold(first), ...rest].join('\n')
}

/** `tend ls -m`: one short block per process, no table, no colour (PM2's mini list). */
export function miniList(processes: readonly ProcessInfo[]): string {
  return processes
    .map((info) =>
      [
        `+--- ${info.name}`,
        `id : ${info.id}`,
        `namespace : ${info.namespace}`,
        `pid : ${info.pid ?? '-'}`,
        `status : ${info.status}`,
        `mode : ${info.mode}`,
        `restarted : ${info.restarts}`,
        `uptime : ${uptimeText(info)}`,
        `memory usage : ${memoryText(info)}`,
      ].join('\n'),
    )
    .join('\n')
}

/**
 * The status, with what the probes say when they disagree with it (`online (not ready)`, `online (unhealthy)`),
 * and why a member of a group that gave up is stopped (`stopped (group gave up)`).
 */
function statusCell(info: ProcessInfo, gaveUp?: ReadonlySet<string>): string {
  if (info.status === 'stopped' && gaveUp?.has(info.name)) return 'stopped (group gave up)'
  const { health } = info
  if (!health || info.status !== 'online') return info.status
  if (health.status === 'unhealthy') return `${info.status} (unhealthy)`
  return health.ready ? info.status : `${info.status} (not ready)`
}

const SORT_KEYS: Record<string, (info: ProcessInfo) => number | string> = {
  id: (info) => info.id,
  name: (info) => info.name,
  namespace: (info) => info.namespace,
  pid: (info) => info.pid ?? -1,
  status: (info) => info.status,
  uptime: (info) => (info.pid === null ? -1 : info.uptime),
  restarts: (info) => info.restarts,
  cpu: (info) => info.cpu,
  memory: (info) => info.memory,
}
export const SORT_FIELDS = Object.keys(SORT_KEYS)

/** `--sort name`, `--sort memory:desc` (PM2's field:order). Returns null for a field it does not know. */
export function sortProcesses(processes: readonly ProcessInfo[], sort: string): ProcessInfo[] | null {
  const [field = '', order = 'asc'] = sort.split(':')
  const key = SORT_KEYS[field === 'mem' ? 'memory' : field]
  if (!key || (order !== 'asc' && order !== 'desc')) return null
  const sign = order === 'desc' ? -1 : 1
  return [...processes].sort((a, b) => {
    const x = key(a)
    const y = key(b)
    return sign * (typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y))) || a.id - b.id
  })
}
