import { describe, expect, it } from 'vitest'
import {
  columns,
  fit,
  hasHealth,
  healthOf,
  matcher,
  SampleRing,
  sparkline,
  uptimeText,
  visibleLogs,
  visibleRows,
} from '../../../src/adapters/monit/model.js'
import type { LogLine, ProcessInfo } from '../../../src/index.js'

const row = (id: number, name: string, fields: Partial<ProcessInfo> = {}): ProcessInfo =>
  ({
    id,
    name,
    namespace: 'default',
    instance: 0,
    status: 'online',
    restarts: 0,
    cpu: 0,
    memory: 0,
    startedAt: 0,
    ...fields,
  }) as ProcessInfo

describe('monit model', () => {
  const rows = [
    row(0, 'web', { cpu: 5, memory: 300 }),
    row(1, 'api', { cpu: 50, memory: 100, status: 'errored' }),
    row(2, 'worker', { cpu: 20, memory: 200 }),
  ]

  it.each([
    ['id', false, [0, 1, 2]],
    ['id', true, [2, 1, 0]],
    ['name', false, [1, 0, 2]],
    ['cpu', false, [1, 2, 0]], // busiest first, as top
    ['memory', false, [0, 2, 1]],
    ['cpu', true, [0, 2, 1]],
    ['status', false, [1, 0, 2]],
  ] as const)('sorts by %s (reverse %s)', (key, reverse, ids) => {
    expect(visibleRows(rows, { key, reverse }, '', 0).map((info) => info.id)).toEqual(ids)
  })

  it('filters by name, id or status', () => {
    expect(visibleRows(rows, { key: 'id', reverse: false }, 'WOR', 0).map((info) => info.name)).toEqual(['worker'])
    expect(visibleRows(rows, { key: 'id', reverse: false }, 'errored', 0).map((info) => info.name)).toEqual(['api'])
    expect(visibleRows(rows, { key: 'id', reverse: false }, 'nothing', 0)).toEqual([])
  })

  it('gives the name what the terminal width leaves, and a health column only when some process has health', () => {
    const narrow = columns(80, false)
    const wide = columns(160, false)
    const width = (cols: typeof narrow): number => 2 + cols.reduce((sum, column) => sum + column.width + 1, 0)
    expect(width(narrow)).toBe(80)
    expect(width(wide)).toBe(160)
    expect(narrow.map((column) => column.title)).not.toContain('health')
    expect(columns(100, true).map((column) => column.title)).toContain('health')
    expect(fit('a long name', 6)).toBe('a lon…')
    expect(fit('7', 3, 'right')).toBe('  7')
  })

  it("shows the probes' word only for a process with a child: not ready, unhealthy or healthy; a stopped one has no health and no uptime", () => {
    const health = (status: string, ready: boolean) => ({ status, ready, consecutiveFailures: 0, lastCheckAt: 1, lastError: null })
    const launching = row(0, 'worker', { status: 'launching', pid: 10, health: health('healthy', false) } as Partial<ProcessInfo>)
    const sick = row(1, 'api', { pid: 11, health: health('unhealthy', true) } as Partial<ProcessInfo>)
    const fine = row(2, 'db', { pid: 12, startedAt: 0, health: health('healthy', true) } as Partial<ProcessInfo>)
    const stopped = row(3, 'cache', { status: 'stopped', pid: null, health: health('healthy', true) } as Partial<ProcessInfo>)
    expect([launching, sick, fine, stopped].map(healthOf)).toEqual(['not ready', 'unhealthy', 'healthy', ''])
    expect(hasHealth([stopped])).toBe(true)
    expect(hasHealth([row(4, 'plain')])).toBe(false)
    expect(uptimeText(fine, 61_000)).toBe('1m')
    expect(uptimeText(stopped, 61_000)).toBe('-')
  })

  it('draws sparklines from 0 (or the lowest value) to the highest, blanks for gaps', () => {
    expect(sparkline([0, 50, 100], 3, { floor: 0 })).toBe('▁▅█')
    expect(sparkline([10, 20], 4)).toBe('  ▁█')
    expect(sparkline([null, 100, null], 3, { floor: 0 })).toBe(' █ ')
    expect(sparkline([], 3)).toBe('   ')
    expect(sparkline([1, 2, 3, 4, 5, 6], 3, { floor: 0 })).toHaveLength(3)
  })

  it('keeps a bounded ring per process and forgets the ones gone', () => {
    const ring = new SampleRing(3)
    for (let i = 0; i < 5; i++) ring.push(7, i, i * 10)
    ring.push(8, 1, 1)
    expect(ring.cpu(7)).toEqual([2, 3, 4])
    expect(ring.memory(7)).toEqual([20, 30, 40])
    ring.forget(new Set([8]))
    expect(ring.cpu(7)).toEqual([])
    expect(ring.cpu(8)).toEqual([1])
  })

  it('shows the newest log lines of one process, of the chosen streams, matching a text or /regex/ search', () => {
    const lines: LogLine[] = [
      { id: 1, name: 'a', stream: 'out', line: 'GET /health 200', at: 1 },
      { id: 2, name: 'b', stream: 'err', line: 'Error: boom', at: 2 },
      { id: 1, name: 'a', stream: 'err', line: 'warning: slow', at: 3 },
      { id: 1, name: 'a', stream: 'out', line: 'GET /users 500', at: 4 },
    ]
    const show = (options: Partial<Parameters<typeof visibleLogs>[1]>): string[] =>
      visibleLogs(lines, { id: null, streams: 'both', search: '', count: 10, ...options }).map((line) => line.line)
    expect(show({ id: 1 })).toEqual(['GET /health 200', 'warning: slow', 'GET /users 500'])
    expect(show({ streams: 'err' })).toEqual(['Error: boom', 'warning: slow'])
    expect(show({ search: 'get' })).toEqual(['GET /health 200', 'GET /users 500'])
    expect(show({ search: '/ 5\\d\\d$/' })).toEqual(['GET /users 500'])
    expect(show({ count: 1 })).toEqual(['GET /users 500'])
    expect(matcher('/[/')('has /[/ in it')).toBe(true) // a broken regex is searched as text
  })
})
