/**
 * The `tend monit` screen: the live process table, sparklines and log of
 * the selected process, and the keys that act on it. Data comes from a
 * DashboardSource (the daemon over RPC, or a Supervisor in tests); updates
 * are collected in refs and drawn at most every `frameMs`, so a chatty app
 * does not make the screen (or this process) busy.
 */
import { Box, Text, useInput, useStdout } from 'ink'
import { useCallback, useEffect, useMemo, useRef, useState } from 'react'
import type { LogEvent, LogLine, MetricsEvent, ProcessEvent, ProcessExitEvent, ProcessInfo } from '../../types.js'
import type { Action, DashboardSource } from '../dashboard/source.js'
import {
  columns,
  frameKey,
  hasHealth,
  multiInstanceApps,
  SampleRing,
  SORT_KEYS,
  visibleLogs,
  visibleRows,
  type Sort,
  type Streams,
} from './model.js'
import { Detail, Header, HelpLine, HelpScreen, LogPanel, ProcessTable, Prompt, type Theme } from './views.js'

export interface MonitProps {
  readonly source: DashboardSource
  /** Shown at the top right (the daemon's home). */
  readonly label?: string
  readonly color?: boolean
  /** The screen size; the terminal's (following resizes) when not given. */
  readonly columns?: number
  readonly rows?: number
  /** ms between redraws at most. @default 250 */
  readonly frameMs?: number
  /** Called once when the user quits (q, Ctrl-C). */
  readonly onQuit: () => void
}

type Mode =
  | { kind: 'normal' }
  | { kind: 'help' }
  | { kind: 'confirm-delete'; target: ProcessInfo }
  | { kind: 'input'; purpose: 'filter' | 'search' | 'signal'; value: string }

const MAX_LOG_LINES = 2000
const SPARK_SAMPLES = 300

function useTerminalSize(fixed: { columns?: number; rows?: number }): { columns: number; rows: number } {
  const { stdout } = useStdout()
  const read = (): { columns: number; rows: number } => ({
    columns: fixed.columns ?? (stdout.columns || 100),
    rows: fixed.rows ?? (stdout.rows || 30),
  })
  const [size, setSize] = useState(read)
  useEffect(() => {
    const onResize = (): void => setSize(read())
    stdout.on('resize', onResize)
    return () => void stdout.off('resize', onResize)
  }, [stdout, fixed.columns, fixed.rows])
  return size
}

export function Monit(props: MonitProps): React.JSX.Element {
  const { source } = props
  const theme: Theme = useMemo(() => ({ color: props.color ?? true }), [props.color])
  const size = useTerminalSize({ columns: props.columns, rows: props.rows })

  // Live data, mutated by events and drawn by the next frame.
  const processes = useRef(new Map<number, ProcessInfo>())
  const logs = useRef<LogLine[]>([])
  const ring = useRef(new SampleRing(SPARK_SAMPLES))
  const [frame, setFrame] = useState(0)
  const dirty = useRef(false)
  /** Counts log lines as they come (the buffer itself is trimmed). */
  const logStamp = useRef(0)
  const selectedRef = useRef<number | null>(null)

  const [selectedId, setSelectedId] = useState<number | null>(null)
  const [sort, setSort] = useState<Sort>({ key: 'id', reverse: false })
  const [filter, setFilter] = useState('')
  const [search, setSearch] = useState('')
  const [streams, setStreams] = useState<Streams>('both')
  const [allLogs, setAllLogs] = useState(false)
  const [paused, setPaused] = useState<LogLine[] | null>(null)
  const [mode, setModeState] = useState<Mode>({ kind: 'normal' })
  // Keys can come faster than frames: each one must see what the one before did.
  const modeRef = useRef<Mode>(mode)
  const setMode = (next: Mode): void => {
    modeRef.current = next
    setModeState(next)
  }
  const [message, setMessage] = useState<{ text: string; error: boolean } | null>(null)

  const refresh = useCallback(async () => {
    const list = await source.list()
    processes.current = new Map(list.map((info) => [info.id, info]))
    ring.current.forget(new Set(processes.current.keys()))
    dirty.current = true
  }, [source])

  // Load, subscribe, and redraw on a timer while anything changed.
  useEffect(() => {
    let alive = true
    let refreshTimer: NodeJS.Timeout | null = null
    const laterRefresh = (): void => {
      if (refreshTimer) clearTimeout(refreshTimer)
      refreshTimer = setTimeout(() => void refresh().catch(() => undefined), 200)
    }
    const stop = source.subscribe((name, payload) => {
      if (name === 'metrics') {
        for (const { id, cpu, memory } of (payload as MetricsEvent).processes) {
          ring.current.push(id, cpu, memory)
          const info = processes.current.get(id)
          if (info) processes.current.set(id, { ...info, cpu, memory })
        }
      } else if (name === 'log:out' || name === 'log:err') {
        const { process: info, line, at } = payload as LogEvent
        logs.current.push({ id: info.id, name: info.name, stream: name === 'log:err' ? 'err' : 'out', line, at })
        logStamp.current++
        if (logs.current.length > MAX_LOG_LINES * 1.5) logs.current = logs.current.slice(-MAX_LOG_LINES)
      } else if (name.startsWith('process:')) {
        const info = (payload as ProcessEvent).process
        processes.current.set(info.id, info)
        const reason = (payload as ProcessExitEvent).reason
        if (name === 'process:exit' && (reason === 'delete' || reason === 'scale')) laterRefresh()
      }
      dirty.current = true
    })
    void (async () => {
      try {
        await refresh()
        const recent = await source.logs('all', 200)
        logs.current = [...recent, ...logs.current.filter((line) => line.at > (recent.at(-1)?.at ?? 0))]
        // The last minutes of the daemon's history, so the sparklines are not empty at first.
        const history = await source.history({ since: Date.now() - SPARK_SAMPLES * 1000, step: 1000, maxPoints: SPARK_SAMPLES })
        if (alive && history) {
          for (const series of history.series) series.cpu.forEach((cpu, i) => ring.current.push(series.id, cpu, series.memory[i] ?? null))
        }
        dirty.current = true
      } catch (error) {
        setMessage({ text: `could not load: ${(error as Error).message}`, error: true })
      }
    })()
    let drawnAt = 0
    let lastKey = ''
    const timer = setInterval(() => {
      if (!dirty.current) return
      dirty.current = false
      drawnAt = Date.now()
      const id = selectedRef.current
      const key = frameKey(
        processes.current.values(),
        drawnAt,
        id === null ? null : { cpu: ring.current.cpu(id), memory: ring.current.memory(id) },
        logStamp.current,
      )
      if (key === lastKey) return
      lastKey = key
      setFrame((n) => n + 1)
    }, props.frameMs ?? 250)
    // Uptimes move on even when nothing happens (the metrics ticks usually redraw often enough).
    const clock = setInterval(() => {
      if (Date.now() - drawnAt >= 1000) dirty.current = true
    }, 1000)
    return () => {
      alive = false
      clearInterval(timer)
      clearInterval(clock)
      if (refreshTimer) clearTimeout(refreshTimer)
      void stop.then((unsubscribe) => unsubscribe()).catch(() => undefined)
    }
  }, [source, refresh, props.frameMs])

  const now = Date.now()
  const all = [...processes.current.values()]
  const rows = visibleRows(all, sort, filter, now)
  const selected = rows.find((info) => info.id === selectedId) ?? rows[0] ?? null
  selectedRef.current = selected?.id ?? null
  useEffect(() => {
    if (selected && selected.id !== selectedId) setSelectedId(selected.id)
  }, [selected, selectedId])

  const act = (action: Action, what: string): void => {
    setMessage({ text: `${what}…`, error: false })
    source.act(action).then(
      () => {
        setMessage({ text: `${what}: done`, error: false })
        void refresh().catch(() => undefined)
      },
      (error: unknown) => setMessage({ text: `${what} failed: ${(error as Error).message}`, error: true }),
    )
  }

  const move = (delta: number): void => {
    if (rows.length === 0) return
    const index = Math.max(
      0,
      rows.findIndex((info) => info.id === selected?.id),
    )
    setSelectedId(rows[Math.min(rows.length - 1, Math.max(0, index + delta))]!.id)
  }

  // Layout: header, table, detail (3), log title + lines, help line; one row short of the screen so Ink never scrolls.
  const available = Math.max(8, size.rows - 1)
  const tableHeight = Math.max(1, Math.min(rows.length, Math.floor((available - 7) * 0.45)))
  const tableLines = 1 + tableHeight + (rows.length > tableHeight ? 1 : 0) + (rows.length === 0 ? 1 : 0)
  // header 1, separator 1, detail 3, log title 1, help line 1
  const logHeight = Math.max(1, available - tableLines - 7)
  const logSource = paused ?? logs.current
  const shownLogs = visibleLogs(logSource, { id: allLogs ? null : (selected?.id ?? null), streams, search, count: logHeight })

  const pageSize = Math.max(1, tableHeight - 1)
  useInput((input, key) => {
    const mode = modeRef.current
    if (key.ctrl && input === 'c') return props.onQuit()
    if (mode.kind === 'help') return setMode({ kind: 'normal' })
    if (mode.kind === 'confirm-delete') {
      if (input === 'y' || input === 'Y') act({ action: 'delete', target: mode.target.id }, `delete ${mode.target.name} #${mode.target.id}`)
      else setMessage(null)
      return setMode({ kind: 'normal' })
    }
    if (mode.kind === 'input') {
      if (key.escape) {
        if (mode.purpose === 'filter') setFilter('')
        if (mode.purpose === 'search') setSearch('')
        return setMode({ kind: 'normal' })
      }
      if (key.return) {
        if (mode.purpose === 'signal' && selected && mode.value.trim()) {
          const signal = mode.value.trim().toUpperCase()
          act({ action: 'signal', target: selected.id, signal }, `signal ${signal} to ${selected.name} #${selected.id}`)
        }
        return setMode({ kind: 'normal' })
      }
      const value =
        key.backspace || key.delete ? mode.value.slice(0, -1) : input && !key.ctrl && !key.meta ? mode.value + input : mode.value
      if (mode.purpose === 'filter') setFilter(value)
      if (mode.purpose === 'search') setSearch(value)
      return setMode({ ...mode, value })
    }
    setMessage(null)
    if (input === 'q') return props.onQuit()
    if (key.escape) return setFilter('')
    if (key.upArrow) return move(-1)
    if (key.downArrow) return move(1)
    if (key.pageUp) return move(-pageSize)
    if (key.pageDown) return move(pageSize)
    if (key.home) return move(-rows.length)
    if (key.end) return move(rows.length)
    if (input === 'h' || input === '?') return setMode({ kind: 'help' })
    if (input === '/') return setMode({ kind: 'input', purpose: 'filter', value: filter })
    if (input === 'g') return setMode({ kind: 'input', purpose: 'search', value: search })
    if (input === 's') return setSort({ key: SORT_KEYS[(SORT_KEYS.indexOf(sort.key) + 1) % SORT_KEYS.length]!, reverse: false })
    if (input === 'S') return setSort({ ...sort, reverse: !sort.reverse })
    if (input === 'p' || input === ' ') return setPaused(paused ? null : [...logs.current])
    if (input === 'o') return setStreams(streams === 'both' ? 'out' : streams === 'out' ? 'err' : 'both')
    if (input === 'a') return setAllLogs(!allLogs)
    if (!selected) return
    const who = `${selected.name} #${selected.id}`
    if (input === 'r') return act({ action: 'restart', target: selected.id }, `restart ${who}`)
    if (input === 'R') return act({ action: 'reload', target: selected.id }, `reload ${who}`)
    if (input === 'x') return act({ action: 'stop', target: selected.id }, `stop ${who}`)
    if (input === '+' || input === '=') return act({ action: 'scale', target: selected.name, delta: 1 }, `scale ${selected.name} +1`)
    if (input === '-') return act({ action: 'scale', target: selected.name, delta: -1 }, `scale ${selected.name} -1`)
    if (input === 'k') return setMode({ kind: 'input', purpose: 'signal', value: 'SIGUSR2' })
    if (input === 'd') return setMode({ kind: 'confirm-delete', target: selected })
  })

  void frame
  const apps = new Set(all.map((info) => info.name)).size
  // Short rows are cheaper to draw: the name column is as wide as the longest name needs.
  const multi = multiInstanceApps(all)
  const longestName = Math.max(4, ...all.map((info) => info.name.length + (multi.has(info.name) ? String(info.instance).length + 1 : 0)))
  const cols = columns(size.columns, hasHealth(all), longestName + 2, multi)
  const footer =
    mode.kind === 'input' ? (
      <Prompt
        theme={theme}
        label={{ filter: 'filter: ', search: 'search logs: ', signal: 'signal to send: ' }[mode.purpose]}
        value={mode.value}
      />
    ) : mode.kind === 'confirm-delete' ? (
      <Prompt theme={theme} label={`delete ${mode.target.name} #${mode.target.id}? It is stopped and forgotten. y/N `} value="" />
    ) : (
      <HelpLine theme={theme} message={message?.text ?? null} error={message?.error ?? false} />
    )
  if (mode.kind === 'help') return <HelpScreen theme={theme} />
  return (
    <Box flexDirection="column" width={size.columns} height={available}>
      <Header theme={theme} processes={all.length} apps={apps} sort={sort} filter={filter} label={props.label ?? ''} width={size.columns} />
      <ProcessTable theme={theme} rows={rows} selectedId={selected?.id ?? null} columns={cols} height={tableHeight} now={now} />
      <Box marginTop={0} flexDirection="column">
        <Text dimColor>{'─'.repeat(Math.max(0, size.columns))}</Text>
        <Detail
          theme={theme}
          info={selected}
          cpu={selected ? ring.current.cpu(selected.id) : []}
          memory={selected ? ring.current.memory(selected.id) : []}
          width={size.columns}
        />
      </Box>
      <LogPanel
        theme={theme}
        lines={shownLogs}
        height={logHeight}
        title={allLogs || !selected ? 'all processes' : `${selected.name} #${selected.id}`}
        streams={streams}
        paused={paused !== null}
        search={search}
      />
      <Box flexGrow={1} />
      {footer}
    </Box>
  )
}
