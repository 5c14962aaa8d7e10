/**
 * What `tend monit` shows, as plain data and pure functions: the table's
 * rows (sorted and filtered), its columns for a terminal width, the
 * sparklines, the log lines to show. The views only lay these out.
 */
import type { LogLine, ProcessInfo } from '../../types.js'
import { formatBytes, formatDuration } from '../cli/format.js'

export const SORT_KEYS = ['id', 'name', 'status', 'restarts', 'uptime', 'cpu', 'memory'] as const
export type SortKey = (typeof SORT_KEYS)[number]

export interface Sort {
  readonly key: SortKey
  readonly reverse: boolean
}

export type Streams = 'both' | 'out' | 'err'

/** `ProcessInfo.health`, which comes with probes; null without. */
function probedHealth(info: ProcessInfo): { status?: unknown; ready?: unknown } | null {
  const health = (info as { health?: { status?: unknown; ready?: unknown } | null }).health
  return health && typeof health === 'object' ? health : null
}

/** Whether any process has probes (then the table has a health column, whatever their state). */
export function hasHealth(processes: readonly ProcessInfo[]): boolean {
  return processes.some((info) => probedHealth(info) !== null)
}

/**
 * What the probes say of a running process: `unhealthy`, else `not ready`
 * while its readiness has not passed, else its status (`healthy`). Empty
 * without probes, and for a process with no child: the last child's health
 * is history (`tend describe` has it), not how a stopped process fares.
 */
export function healthOf(info: ProcessInfo): string {
  const health = probedHealth(info)
  if (!health || info.pid === null) return ''
  if (health.status === 'unhealthy') return 'unhealthy'
  if (health.ready === false) return 'not ready'
  return typeof health.status === 'string' ? health.status : health.ready === true ? 'ready' : ''
}

/** The uptime cell: `-` for a process with no child, as `tend ls` shows it. */
export function uptimeText(info: ProcessInfo, now: number): string {
  return info.pid === null ? '-' : formatDuration(uptimeOf(info, now))
}

export function uptimeOf(info: ProcessInfo, now: number): number {
  return info.status === 'online' && info.startedAt !== null ? Math.max(0, now - info.startedAt) : 0
}

function sortValue(info: ProcessInfo, key: SortKey, now: number): number | string {
  if (key === 'uptime') return uptimeOf(info, now)
  return info[key]
}

/** The rows to show: those matching `filter` (name, id, namespace, status or health), in `sort` order. */
export function visibleRows(processes: readonly ProcessInfo[], sort: Sort, filter: string, now: number): ProcessInfo[] {
  const needle = filter.trim().toLowerCase()
  const rows = needle
    ? processes.filter((info) =>
        `${info.id} ${info.name} ${info.namespace} ${info.status} ${healthOf(info)}`.toLowerCase().includes(needle),
      )
    : [...processes]
  return rows.sort((a, b) => {
    const x = sortValue(a, sort.key, now)
    const y = sortValue(b, sort.key, now)
    const order = typeof x === 'string' || typeof y === 'string' ? String(x).localeCompare(String(y)) : x - y
    // Busiest first for the figures, as top does; names and ids ascend.
    const natural = sort.key === 'cpu' || sort.key === 'memory' || sort.key === 'restarts' || sort.key === 'uptime' ? -order : order
    return (sort.reverse ? -natural : natural) || a.id - b.id
  })
}

export interface Column {
  readonly title: string
  readonly width: number
  readonly align: 'left' | 'right'
  readonly cell: (info: ProcessInfo, now: number) => string
}

/**
 * The table's columns for a terminal `width` wide: the name takes what is
 * left, up to what the longest name needs (`nameWidth`); health shows only
 * when some process has it.
 */
export function columns(
  width: number,
  withHealth: boolean,
  nameWidth = Number.POSITIVE_INFINITY,
  /** Apps with more than one process: their names show the instance (`api#1`). */
  multi: ReadonlySet<string> = new Set(),
): Column[] {
  const fixed: Column[] = [
    { title: 'id', width: 4, align: 'right', cell: (info) => String(info.id) },
    { title: 'name', width: 0, align: 'left', cell: (info) => (multi.has(info.name) ? `${info.name}#${info.instance}` : info.name) },
    { title: 'mode', width: 7, align: 'left', cell: (info) => info.mode },
    { title: 'pid', width: 7, align: 'right', cell: (info) => (info.pid === null ? '-' : String(info.pid)) },
    { title: 'status', width: 15, align: 'left', cell: (info) => info.status },
    ...(withHealth ? [{ title: 'health', width: 10, align: 'left' as const, cell: healthOf }] : []),
    { title: '↺', width: 4, align: 'right', cell: (info) => String(info.restarts) },
    { title: 'uptime', width: 6, align: 'right', cell: uptimeText },
    { title: 'cpu', width: 6, align: 'right', cell: (info) => `${Math.round(info.cpu)}%` },
    { title: 'memory', width: 8, align: 'right', cell: (info) => formatBytes(info.memory) },
  ]
  // Two for the selection marker, one space between columns.
  const used = 2 + fixed.reduce((sum, column) => sum + column.width + 1, 0)
  const name = Math.max(6, Math.min(width - used, nameWidth))
  return fixed.map((column) => (column.title === 'name' ? { ...column, width: name } : column))
}

/** The names of apps with more than one process. */
export function multiInstanceApps(processes: readonly ProcessInfo[]): Set<string> {
  const seen = new Set<string>()
  const multi = new Set<string>()
  for (const info of processes) (seen.has(info.name) ? multi : seen).add(info.name)
  return multi
}

/** A cell padded or cut to its column's width. */
export function fit(text: string, width: number, align: 'left' | 'right' = 'left'): string {
  const cut = text.length > width ? `${text.slice(0, Math.max(0, width - 1))}…` : text
  return align === 'right' ? cut.padStart(width) : cut.padEnd(width)
}

const BARS = '▁▂▃▄▅▆▇█'

/**
 * The last `width` values as a row of block characters, scaled from `min`
 * (or 0) to the highest value shown. Missing samples are blanks.
 */
export function sparkline(values: readonly (number | null)[], width: number, options: { floor?: number } = {}): string {
  const shown = values.slice(-width)
  const present = shown.filter((value): value is number => value !== null)
  if (present.length === 0) return ' '.repeat(Math.max(0, width))
  const low = options.floor ?? Math.min(...present)
  const high = Math.max(...present)
  const span = high - low
  const line = shown.map((value) => {
    if (value === null) return ' '
    if (span <= 0) return value > 0 || options.floor === undefined ? BARS[3]! : BARS[0]!
    return BARS[Math.min(BARS.length - 1, Math.round(((value - low) / span) * (BARS.length - 1)))]!
  })
  return line.join('').padStart(width)
}

/** A small ring of recent samples per process, for the sparklines. */
export class SampleRing {
  readonly #size: number
  readonly #cpu = new Map<number, (number | null)[]>()
  readonly #memory = new Map<number, (number | null)[]>()

  constructor(size: number) {
    this.#size = size
  }

  push(id: number, cpu: number | null, memory: number | null): void {
    const push = (map: Map<number, (number | null)[]>, value: number | null): void => {
      const list = map.get(id) ?? []
      list.push(value)
      if (list.length > this.#size) list.splice(0, list.length - this.#size)
      map.set(id, list)
    }
    push(this.#cpu, cpu)
    push(this.#memory, memory)
  }

  cpu(id: number): readonly (number | null)[] {
    return this.#cpu.get(id) ?? []
  }

  memory(id: number): readonly (number | null)[] {
    return this.#memory.get(id) ?? []
  }

  forget(keep: ReadonlySet<number>): void {
    for (const id of this.#cpu.keys()) {
      if (keep.has(id)) continue
      this.#cpu.delete(id)
      this.#memory.delete(id)
    }
  }
}

/** A search that is text (case-insensitive) or `/regex/flags`; a broken regex matches as text. */
export function matcher(search: string): (line: string) => boolean {
  if (!search) return () => true
  const regex = /^\/(.+)\/([a-z]*)$/.exec(search)
  if (regex) {
    try {
      const re = new RegExp(regex[1]!, regex[2]!.replace('g', ''))
      return (line) => re.test(line)
    } catch {
      // fall through to text
    }
  }
  const needle = search.toLowerCase()
  return (line) => line.toLowerCase().includes(needle)
}

/** The log lines to show: of one process (or all), of the chosen streams, matching the search; the newest `count`. */
export function visibleLogs(
  lines: readonly LogLine[],
  options: { id: number | null; streams: Streams; search: string; count: number },
): LogLine[] {
  const matches = matcher(options.search)
  const shown: LogLine[] = []
  for (let i = lines.length - 1; i >= 0 && shown.length < options.count; i--) {
    const line = lines[i]!
    if (options.id !== null && line.id !== options.id) continue
    if (options.streams !== 'both' && line.stream !== options.streams) continue
    if (!matches(line.line)) continue
    shown.push(line)
  }
  return shown.reverse()
}

/**
 * What a frame would show of the data, as a string: a new frame is drawn
 * only when it differs. Idle processes give the same figures second after
 * second (uptimes past a minute move once a minute), and drawing a frame is
 * most of what monit costs.
 */
export function frameKey(
  processes: Iterable<ProcessInfo>,
  now: number,
  selected: { readonly cpu: readonly (number | null)[]; readonly memory: readonly (number | null)[] } | null,
  logStamp: number,
): string {
  const parts: string[] = [String(logStamp)]
  for (const info of processes) {
    parts.push(
      `${info.id} ${info.status} ${info.pid} ${info.restarts} ${uptimeText(info, now)} ${Math.round(info.cpu)} ${formatBytes(info.memory)} ${healthOf(info)}`,
    )
  }
  if (selected) {
    const last = (values: readonly (number | null)[]): string => String(values.at(-1) ?? '')
    parts.push(
      sparkline(selected.cpu, 120, { floor: 0 }),
      sparkline(selected.memory, 120, { floor: 0 }),
      last(selected.cpu),
      formatBytes(Number(last(selected.memory))),
    )
  }
  return parts.join('\n')
}
