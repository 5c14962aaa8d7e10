/** The list table, the mini list, sorting and `describe` for people, from ProcessInfo objects (no daemon). */
import { afterEach, describe, expect, it } from 'vitest'
import { describeProcess } from '../../../src/adapters/cli/describe-text.js'
import { miniList, processTable, sortProcesses } from '../../../src/adapters/cli/format.js'
import { normalizeSpec } from '../../../src/config/normalize.js'
import type { AppSpec, ProcessDescription } from '../../../src/index.js'
import { fixture } from '../../helpers.js'

function info(fields: Omit<Partial<ProcessDescription>, 'spec'> & { spec?: Partial<AppSpec> } = {}): ProcessDescription {
  const { spec, ...rest } = fields
  const normalized = normalizeSpec(
    { name: 'api', script: fixture('long-running.cjs'), env: { PORT: '3000', API_TOKEN: '[redacted]' }, ...spec },
    { env: {}, baseCwd: process.cwd() },
  )
  return {
    id: 0,
    name: 'api',
    namespace: 'default',
    instance: 0,
    mode: 'fork',
    pid: 1234,
    status: 'online',
    restarts: 0,
    unstableRestarts: 0,
    startedAt: Date.now() - 65_000,
    uptime: 65_000,
    exitCode: null,
    signal: null,
    nextRestartAt: null,
    cpu: 0,
    memory: 0,
    logFiles: { out: '/h/logs/api-0-out.log', err: '/h/logs/api-0-err.log' },
    watching: normalized.watch !== false,
    confirmedReady: true,
    sockets: [],
    spec: normalized,
    ...rest,
  }
}

const env = { ...process.env }
afterEach(() => {
  process.env = { ...env }
})

describe('tend ls', () => {
  it("has PM2's columns, and '-' for memory and cpu not yet sampled and for a stopped process's uptime", () => {
    delete process.env.FORCE_COLOR
    const lines = processTable(
      [
        info(),
        info({ id: 1, instance: 1, pid: null, status: 'stopped', uptime: 0, restarts: 2 }),
        info({ id: 2, cpu: 3.2, memory: 42 * 1024 * 1024 }),
      ],
      { color: false },
    ).split('\n')
    expect(lines[0]).toMatch(/^id\s+name\s+namespace\s+mode\s+pid\s+uptime\s+↺\s+status\s+cpu\s+mem\s+watching$/)
    expect(lines[1]).toMatch(/^0\s+api\s+default\s+fork\s+1234\s+1m\s+0\s+online\s+-\s+-\s+disabled$/)
    expect(lines[2]).toMatch(/^1\s+api\s+default\s+fork\s+-\s+-\s+2\s+stopped\s+-\s+-\s+disabled$/)
    expect(lines[3]).toMatch(/^2\s+api\s+default\s+fork\s+1234\s+1m\s+0\s+online\s+3%\s+42mb\s+disabled$/)
  })

  it('is in colour only when asked or on a terminal, and never with NO_COLOR or --no-color', () => {
    const rows = [info({ memory: 1024 })]
    delete process.env.NO_COLOR
    process.env.FORCE_COLOR = '1'
    expect(processTable(rows)).toContain('\u001b[32monline')
    expect(processTable(rows, { color: false })).not.toContain('\u001b[')
    process.env.NO_COLOR = '1'
    expect(processTable(rows)).not.toContain('\u001b[')
    delete process.env.FORCE_COLOR
    delete process.env.NO_COLOR
    // vitest's stdout is not a TTY here
    expect(processTable(rows)).toBe(process.stdout.isTTY ? processTable(rows) : processTable(rows, { color: false }))
  })

  it("says what the probes find in the status column: '(not ready)', '(unhealthy)', nothing when healthy", () => {
    const health = (status: 'healthy' | 'unhealthy', ready: boolean) =>
      ({ status, ready, consecutiveFailures: 0, lastCheckAt: 0, lastError: null }) as const
    const lines = processTable(
      [
        info({ health: health('healthy', true) }),
        info({ id: 1, health: health('healthy', false) }),
        info({ id: 2, health: health('unhealthy', true) }),
      ],
      { color: false },
    ).split('\n')
    expect(lines[1]).toMatch(/\s0\s+online\s+-/)
    expect(lines[2]).toMatch(/\s0\s+online \(not ready\)\s+-/)
    expect(lines[3]).toMatch(/\s0\s+online \(unhealthy\)\s+-/)
  })

  it('says watching when the app watches files', () => {
    expect(processTable([info({ spec: { watch: true } })], { color: false })).toMatch(/enabled$/)
  })

  it('sorts by field and order, and prints a mini list', () => {
    const rows = [info({ id: 0, name: 'b', memory: 10 }), info({ id: 1, name: 'a', memory: 30 }), info({ id: 2, name: 'c', memory: 20 })]
    expect(sortProcesses(rows, 'name')!.map((row) => row.name)).toEqual(['a', 'b', 'c'])
    expect(sortProcesses(rows, 'memory:desc')!.map((row) => row.id)).toEqual([1, 2, 0])
    expect(sortProcesses(rows, 'nope')).toBeNull()
    expect(miniList(rows.slice(0, 1))).toMatch(/^\+--- b\nid : 0\n.*status : online/s)
  })
})

describe('tend describe', () => {
  it('shows the facts, the last exit and the triggers that are on, and the env only when asked', () => {
    const text = describeProcess(
      info({
        restarts: 3,
        unstableRestarts: 2,
        exitCode: 1,
        memory: 50 * 1024 * 1024,
        cpu: 1,
        spec: { maxMemoryRestart: '300M', cronRestart: '0 3 * * *', watch: true, waitReady: true },
      }),
      { color: false, lastExit: { code: 1, signal: null, reason: 'crash', forced: true, at: Date.UTC(2026, 0, 1) } },
    )
    expect(text).toMatch(/^api \(id 0, namespace default\)$/m)
    expect(text).toMatch(/status\s+online/)
    expect(text).toMatch(/uptime\s+1m \(since /)
    expect(text).toMatch(/restarts\s+3 \(2 unstable in a row\)/)
    expect(text).toMatch(/last exit\s+code 1, crash, forced: SIGKILL after killTimeout, at 2026-01-01T00:00:00.000Z/)
    expect(text).toMatch(/cpu, memory\s+1%, 50mb/)
    expect(text).toMatch(/memory limit\s+300mb/)
    expect(text).toMatch(/cron restart\s+0 3 \* \* \*/)
    expect(text).toMatch(/watch\s+\//)
    expect(text).toMatch(/readiness\s+waits for 'ready'/)
    expect(text).toMatch(/ports\s+PORT=3000/)
    expect(text).toMatch(/log out\s+\/h\/logs\/api-0-out.log/)
    expect(text).not.toContain('API_TOKEN')
    expect(text.split('\n').length).toBeLessThan(25)
    expect(describeProcess(info(), { env: true, color: false })).toContain('API_TOKEN=[redacted]')
  })

  it("says '-' for a process that never exited, and leaves out triggers that are off", () => {
    const text = describeProcess(info(), { color: false })
    expect(text).toMatch(/last exit\s+-$/m)
    expect(text).not.toMatch(/memory limit|cron restart|^\s+watch/m)
    expect(text).not.toMatch(/^\s+health\s/m)
  })

  it('says when the app is critical, and nothing when it is not', () => {
    expect(describeProcess(info({ spec: { critical: true } }), { color: false })).toMatch(
      /^\s+critical\s+yes: tend runtime exits \(code 3\) when it gives up$/m,
    )
    expect(describeProcess(info(), { color: false })).not.toMatch(/^\s+critical\s/m)
  })

  it('shows what the probes last found, for an app with probes', () => {
    const health = { status: 'unhealthy', ready: false, consecutiveFailures: 2, lastCheckAt: 0, lastError: 'HTTP 503' } as const
    expect(describeProcess(info({ health }), { color: false })).toMatch(
      /^\s+health\s+unhealthy, not ready, 2 failed check\(s\) in a row, last check 1970-01-01T00:00:00.000Z, last error: HTTP 503$/m,
    )
    const stopped = info({ status: 'stopped', pid: null, health: { ...health, status: 'healthy', ready: true, consecutiveFailures: 0 } })
    expect(describeProcess(stopped, { color: false })).toMatch(/^\s+health\s+last run: healthy, ready, last check /m)
  })
})
