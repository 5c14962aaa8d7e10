/** The pieces of the `tend monit` screen. Each takes plain data and draws it; none holds state. */
import { Box, Text } from 'ink'
import type { LogLine, ProcessInfo, Status } from '../../types.js'
import { formatBytes } from '../cli/format.js'
import { fit, sparkline, type Column, type Sort, type Streams } from './model.js'

/** Colours, or none at all (NO_COLOR). */
export interface Theme {
  readonly color: boolean
}

const STATUS_COLORS: Record<Status, string> = {
  online: 'green',
  launching: 'yellow',
  stopping: 'yellow',
  'waiting-restart': 'yellow',
  stopped: 'gray',
  errored: 'red',
}

const paint = (theme: Theme, color: string | undefined): { color?: string } => (theme.color && color ? { color } : {})

export function Header(props: {
  readonly theme: Theme
  readonly processes: number
  readonly apps: number
  readonly sort: Sort
  readonly filter: string
  readonly label: string
  readonly width: number
}): React.JSX.Element {
  const { sort } = props
  const left = `tend monit  ${props.processes} processes, ${props.apps} apps  sort: ${sort.key}${sort.reverse ? ' ▲' : ' ▼'}${props.filter ? `  filter: ${props.filter}` : ''}`
  return (
    <Box width={props.width}>
      <Text bold {...paint(props.theme, 'cyan')} wrap="truncate">
        {left}
      </Text>
      <Text dimColor wrap="truncate">{`  ${props.label}`}</Text>
    </Box>
  )
}

export function ProcessTable(props: {
  readonly theme: Theme
  readonly rows: readonly ProcessInfo[]
  readonly selectedId: number | null
  readonly columns: readonly Column[]
  /** Rows of processes that fit (the header line is extra). */
  readonly height: number
  readonly now: number
}): React.JSX.Element {
  const { rows, columns, height } = props
  const selected = Math.max(
    0,
    rows.findIndex((info) => info.id === props.selectedId),
  )
  // Scroll so the selected row is in view.
  const first = Math.min(Math.max(0, selected - height + 1), Math.max(0, rows.length - height))
  const shown = rows.slice(first, first + height)
  const header = `  ${columns.map((column) => fit(column.title, column.width, column.align)).join(' ')}`
  return (
    <Box flexDirection="column">
      <Text bold underline={props.theme.color} wrap="truncate">
        {header}
      </Text>
      {rows.length === 0 ? <Text dimColor>No processes. Start one with: tend start &lt;script&gt;</Text> : null}
      {shown.map((info) => {
        const isSelected = info.id === props.selectedId
        // One string per row, the status cut out only to colour it: few nodes to lay out on every frame.
        const cells = columns.map((column) => fit(column.cell(info, props.now), column.width, column.align))
        const at = columns.findIndex((column) => column.title === 'status')
        const before = `${isSelected ? '▶ ' : '  '}${cells.slice(0, at).join(' ')} `
        const after = ` ${cells.slice(at + 1).join(' ')}`
        return (
          <Text key={info.id} inverse={isSelected} wrap="truncate">
            {before}
            <Text {...(isSelected ? {} : paint(props.theme, STATUS_COLORS[info.status]))}>{cells[at]}</Text>
            {after}
          </Text>
        )
      })}
      {rows.length > height ? <Text dimColor>{`  ${first + 1}–${first + shown.length} of ${rows.length}`}</Text> : null}
    </Box>
  )
}

export function Detail(props: {
  readonly theme: Theme
  readonly info: ProcessInfo | null
  readonly cpu: readonly (number | null)[]
  readonly memory: readonly (number | null)[]
  readonly width: number
}): React.JSX.Element {
  const { info } = props
  if (!info) return <Text dimColor>no process selected</Text>
  const label = (text: string): string => text.padEnd(5)
  const figures = (values: readonly (number | null)[], format: (n: number) => string): string => {
    const present = values.filter((value): value is number => value !== null)
    return present.length === 0 ? '' : ` ${format(present.at(-1)!)} (max ${format(Math.max(...present))})`
  }
  const cpuText = figures(props.cpu, (n) => `${Math.round(n * 10) / 10}%`)
  const memoryText = figures(props.memory, formatBytes)
  // Two minutes of samples at most: wider says little more and costs on every frame.
  const chartWidth = Math.max(4, Math.min(120, props.width - 5 - Math.max(cpuText.length, memoryText.length) - 1))
  return (
    <Box flexDirection="column">
      <Text wrap="truncate">
        <Text bold>{`${info.name} #${info.id}`}</Text>
        <Text dimColor>{`  pid ${info.pid ?? '-'}  ${info.mode}  ${info.namespace}  restarts ${info.restarts}`}</Text>
      </Text>
      <Text wrap="truncate">
        {label('cpu')}
        <Text {...paint(props.theme, 'green')}>{sparkline(props.cpu, chartWidth, { floor: 0 })}</Text>
        {cpuText}
      </Text>
      <Text wrap="truncate">
        {label('mem')}
        <Text {...paint(props.theme, 'blue')}>{sparkline(props.memory, chartWidth, { floor: 0 })}</Text>
        {memoryText}
      </Text>
    </Box>
  )
}

export function LogPanel(props: {
  readonly theme: Theme
  readonly lines: readonly LogLine[]
  readonly height: number
  readonly title: string
  readonly streams: Streams
  readonly paused: boolean
  readonly search: string
}): React.JSX.Element {
  const state = `${props.streams === 'both' ? 'stdout+stderr' : props.streams === 'out' ? 'stdout' : 'stderr'}  ${props.paused ? 'PAUSED' : 'following'}${props.search ? `  search: ${props.search}` : ''}`
  return (
    <Box flexDirection="column">
      <Text wrap="truncate">
        <Text bold>{`logs: ${props.title}`}</Text>
        <Text dimColor>{`  ${state}`}</Text>
      </Text>
      {props.lines.slice(-props.height).map((line, i) => (
        <Text key={i} wrap="truncate" {...(line.stream === 'err' ? paint(props.theme, 'red') : {})}>
          <Text dimColor>{`${line.name}#${line.id} `}</Text>
          {line.line}
        </Text>
      ))}
    </Box>
  )
}

export const HELP: readonly [string, string][] = [
  ['q', 'quit'],
  ['h', 'help'],
  ['↑↓', 'select'],
  ['/', 'filter'],
  ['s/S', 'sort/reverse'],
  ['r', 'restart'],
  ['R', 'reload'],
  ['x', 'stop'],
  ['+/-', 'scale'],
  ['k', 'signal'],
  ['d', 'delete'],
  ['p', 'pause logs'],
  ['o', 'out/err'],
  ['g', 'search logs'],
  ['a', 'all logs'],
]

export function HelpLine(props: { readonly theme: Theme; readonly message: string | null; readonly error: boolean }): React.JSX.Element {
  if (props.message) {
    return (
      <Text wrap="truncate" {...paint(props.theme, props.error ? 'red' : 'yellow')}>
        {props.message}
      </Text>
    )
  }
  return (
    <Text wrap="truncate">
      {HELP.map(([key, what]) => (
        <Text key={key}>
          <Text bold {...paint(props.theme, 'cyan')}>
            {key}
          </Text>
          <Text dimColor>{` ${what}  `}</Text>
        </Text>
      ))}
    </Text>
  )
}

export function Prompt(props: { readonly theme: Theme; readonly label: string; readonly value: string }): React.JSX.Element {
  return (
    <Text wrap="truncate">
      <Text bold {...paint(props.theme, 'yellow')}>
        {props.label}
      </Text>
      {props.value}
      <Text inverse> </Text>
    </Text>
  )
}

export function HelpScreen(props: { readonly theme: Theme }): React.JSX.Element {
  const more: [string, string][] = [
    ['PgUp/PgDn Home/End', 'move by a page, to the ends'],
    ['Esc', 'clear the filter / cancel a prompt'],
    ['space', 'pause or follow the log too'],
    ['Ctrl-C', 'quit'],
  ]
  return (
    <Box flexDirection="column" borderStyle="round" paddingX={1}>
      <Text bold>tend monit: keys</Text>
      {[...HELP, ...more].map(([key, what]) => (
        <Text key={key}>
          <Text bold {...paint(props.theme, 'cyan')}>
            {key.padEnd(20)}
          </Text>
          {what}
        </Text>
      ))}
      <Text dimColor>any key closes this</Text>
    </Box>
  )
}
