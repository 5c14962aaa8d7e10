/**
 * Files of the shapes of PM2's own examples (test/fixtures/pm2-examples/)
 * started under real PM2 and under tend with the same command, side by side:
 * tend must end in the state PM2 gives (apps, modes, instances, online).
 */
import { execFile } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import type { ProcessInfo } from '../../../src/index.js'
import { freePort } from '../../http-load.js'
import { fixture, isAlive, onCleanup, until } from '../../helpers.js'
import { tendHome } from './cli-helpers.js'

const pm2Bin = fileURLToPath(new URL('../../../node_modules/pm2/bin/pm2', import.meta.url))

/** One row per app: its mode, how many processes, and their statuses. */
type Summary = Record<string, { mode: string; count: number; statuses: string[] }>

function summarize(rows: { name: string; mode: string; status: string }[]): Summary {
  const summary: Summary = {}
  for (const row of rows) {
    const entry = (summary[row.name] ??= { mode: row.mode, count: 0, statuses: [] })
    entry.count++
    entry.statuses.push(row.status)
  }
  for (const entry of Object.values(summary)) entry.statuses.sort()
  return summary
}

const settled = (summary: Summary): boolean =>
  Object.values(summary).every((entry) => entry.statuses.every((status) => status === 'online' || status === 'errored'))

/** Runs real PM2 in a private PM2_HOME; `pm2 kill` and a check that its daemon and apps are gone after the test. */
function pm2Home(): { run(args: string[], cwd: string, env?: Record<string, string>): Promise<string> } {
  const home = mkdtempSync('/tmp/pm2-')
  const pids = new Set<number>()
  const run = (args: string[], cwd: string, env: Record<string, string> = {}): Promise<string> =>
    new Promise((resolve, reject) => {
      execFile(
        process.execPath,
        [pm2Bin, ...args],
        { cwd, env: { ...process.env, PM2_HOME: home, ...env }, timeout: 120_000, maxBuffer: 16 * 1024 * 1024 },
        (error: Error | null, stdout: string) => (error ? reject(error) : resolve(stdout)),
      )
    })
  onCleanup(async () => {
    try {
      pids.add(Number.parseInt(readFileSync(join(home, 'pm2.pid'), 'utf8'), 10))
    } catch {
      // no daemon was started
    }
    await run(['kill'], home).catch(() => undefined)
    await until(() => [...pids].every((pid) => !Number.isInteger(pid) || !isAlive(pid)), {
      timeout: 30_000,
      message: 'PM2 and its apps gone',
    })
    rmSync(home, { recursive: true, force: true })
  })
  return {
    async run(args, cwd, env) {
      const out = await run(args, cwd, env)
      if (args[0] === 'jlist') for (const app of JSON.parse(out) as { pid: number }[]) if (app.pid) pids.add(app.pid)
      return out
    },
  }
}

async function underPm2(file: string, env: Record<string, string>): Promise<Summary> {
  const pm2 = pm2Home()
  const dir = join(fixture('pm2-examples'), file, '..')
  await pm2.run(['start', join(fixture('pm2-examples'), file)], dir, env)
  let summary: Summary = {}
  const deadline = Date.now() + 60_000
  while (Date.now() < deadline) {
    const list = JSON.parse(await pm2.run(['jlist'], dir)) as { name: string; pm2_env: { exec_mode: string; status: string } }[]
    summary = summarize(
      list.map((app) => ({ name: app.name, mode: app.pm2_env.exec_mode.replace(/_mode$/, ''), status: app.pm2_env.status })),
    )
    if (settled(summary)) break
  }
  await pm2.run(['kill'], dir)
  return summary
}

async function underTend(file: string, env: Record<string, string>): Promise<Summary> {
  const tend = tendHome()
  const dir = join(fixture('pm2-examples'), file, '..')
  const result = await tend.run(['start', join(fixture('pm2-examples'), file)], { cwd: dir, env })
  expect(result.code, result.stderr).toBe(0)
  let summary: Summary = {}
  const deadline = Date.now() + 60_000
  while (Date.now() < deadline) {
    const list = await tend.json<ProcessInfo[]>(['list'])
    summary = summarize(list.map((info) => ({ name: info.name, mode: info.mode, status: info.status })))
    if (settled(summary)) break
  }
  return summary
}

describe("PM2's example files, under PM2 and under tend", { timeout: 300_000 }, () => {
  it.each([
    ['ecosystem-file/process.yml', { api: 'cluster', 'queue-worker': 'fork' }],
    ['wait-ready/ecosystem.json', { 'slow-start': 'fork' }],
    [
      'misc-apps/all-pm2.json',
      { 'web-cluster': 'cluster', 'echo-args': 'fork', 'forked-pair': 'fork', 'shell-loop': 'fork', nightly: 'fork' },
    ],
    ['triggerable/process.yml', { triggerable: 'cluster' }],
  ])('%s ends in the state PM2 gives', async (file, modes) => {
    // each its own port: PM2's apps may still be letting theirs go after pm2 kill returns
    const pm2 = await underPm2(file, { PORT: String(await freePort()) })
    const tend = await underTend(file, { PORT: String(await freePort()) })
    // what PM2 gives, so the comparison is about something
    expect(Object.fromEntries(Object.entries(pm2).map(([name, entry]) => [name, entry.mode]))).toEqual(modes)
    expect(Object.values(pm2).every((entry) => entry.statuses.every((status) => status === 'online'))).toBe(true)
    expect(tend).toEqual(pm2)
  })
})
