/**
 * `node --import tsx bench/monit.ts [--quick]` (or `npm run bench -- --only=monit`):
 * what watching costs. A real daemon (the built dist/, as users run it)
 * holds 50 apps sampled once a second; then, in turn:
 *   - nothing watches (the baseline of the daemon's CPU),
 *   - `tend monit` runs in a real terminal (tmux, 160×50), right after a
 *     restart of every app (uptimes in seconds: a new frame every second)
 *     and again once they are up for over a minute (idle frames unchanged),
 *   - `tend dashboard` runs with one browser-like event stream reading it.
 * Figures: CPU of the watcher process, and how much the daemon's CPU rose
 * over the baseline, in % of one core. Needs tmux.
 */
import { execFileSync, spawn } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { cpuMsOf, figure, freePort, isAlive, sleep, type Figure } from './lib.js'

const root = fileURLToPath(new URL('..', import.meta.url))
const cli = join(root, 'dist/cli.js')
const APPS = 50

interface Daemon {
  readonly home: string
  readonly pid: number
  tend(...args: string[]): string
  stop(): Promise<void>
}

function startDaemon(): Daemon {
  const home = mkdtempSync('/tmp/tend-bench-monit-')
  const env = { ...process.env, TEND_HOME: home }
  const tend = (...args: string[]): string => execFileSync(process.execPath, [cli, ...args], { env, encoding: 'utf8' })
  const apps = Array.from({ length: APPS }, (_, i) => ({ name: `app${i}`, script: '/bin/sleep', args: ['3600'], interpreter: 'none' }))
  writeFileSync(join(home, 'ecosystem.json'), JSON.stringify({ apps }))
  tend('start', join(home, 'ecosystem.json'), '--json')
  const pid = (JSON.parse(tend('ping', '--json')) as { pid: number }).pid
  return {
    home,
    pid,
    tend,
    async stop() {
      tend('kill')
      const deadline = Date.now() + 30_000
      while (isAlive(pid) && Date.now() < deadline) await sleep(100)
      rmSync(home, { recursive: true, force: true })
    },
  }
}

/** CPU of `pids` over `seconds`, in % of one core each. */
async function cpuOver(pids: readonly number[], seconds: number): Promise<number[]> {
  const before = pids.map(cpuMsOf)
  const start = performance.now()
  await sleep(seconds * 1000)
  const wall = performance.now() - start
  return pids.map((pid, i) => ((cpuMsOf(pid) - before[i]!) / wall) * 100)
}

/** `tend monit` in a tmux pane of its own (`exec`, so the pane's pid is monit's). */
async function withMonit<T>(daemon: Daemon, measure: (pid: number) => Promise<T>): Promise<T> {
  const dir = mkdtempSync('/tmp/tend-bench-tmux-')
  const socket = join(dir, 'sock')
  const tmux = (...args: string[]): string => execFileSync('tmux', ['-S', socket, ...args], { encoding: 'utf8' })
  try {
    tmux('new-session', '-d', '-x', '160', '-y', '50', `exec env TEND_HOME=${daemon.home} ${process.execPath} ${cli} monit`)
    const pid = Number(tmux('display-message', '-p', '#{pane_pid}').trim())
    const deadline = Date.now() + 30_000
    while (!tmux('capture-pane', '-p').includes(`${APPS} processes`)) {
      if (Date.now() > deadline) throw new Error(`monit did not draw within 30 s:\n${tmux('capture-pane', '-p')}`)
      await sleep(200)
    }
    await sleep(3000) // past start-up (module loading, the first frames)
    return await measure(pid)
  } finally {
    try {
      tmux('kill-server')
    } catch {
      // already gone
    }
    rmSync(dir, { recursive: true, force: true })
  }
}

/** `tend dashboard` with one event stream read the way a browser reads it. */
async function withDashboard<T>(daemon: Daemon, measure: (pid: number) => Promise<T>): Promise<T> {
  const port = await freePort()
  const child = spawn(process.execPath, [cli, 'dashboard', '--port', String(port)], {
    env: { ...process.env, TEND_HOME: daemon.home },
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  const abort = new AbortController()
  try {
    let printed = ''
    child.stdout.on('data', (chunk: Buffer) => (printed += chunk.toString()))
    const deadline = Date.now() + 30_000
    while (!/token=(\S+)/.test(printed)) {
      if (Date.now() > deadline) throw new Error('tend dashboard printed no URL within 30 s')
      await sleep(100)
    }
    const token = /token=(\S+)/.exec(printed)![1]!
    const base = `http://127.0.0.1:${port}`
    // What the page does: the state, the history, the logs, then the stream.
    for (const path of ['/api/state?', '/api/history?maxPoints=720&', '/api/logs?lines=200&'])
      await (await fetch(`${base}${path}token=${token}`)).text()
    const stream = await fetch(`${base}/api/events?token=${token}`, { signal: abort.signal })
    const reading = (async () => {
      const reader = stream.body!.getReader()
      for (;;) if ((await reader.read()).done) break
    })().catch(() => undefined)
    await sleep(3000)
    const result = await measure(child.pid!)
    abort.abort()
    await reading
    return result
  } finally {
    const exited = new Promise((resolve) => child.once('exit', resolve))
    child.kill('SIGINT')
    await exited
  }
}

export async function runMonitBench({ quick }: { quick: boolean }): Promise<Figure[]> {
  execFileSync('npm', ['run', 'build', '--silent'], { cwd: root, stdio: 'ignore' })
  const seconds = quick ? 3 : 15
  const runs = quick ? 1 : 3
  const daemon = startDaemon()
  const values = {
    idle: [] as number[],
    monitBusy: [] as number[],
    monitBusyDaemon: [] as number[],
    monitSettled: [] as number[],
    monitSettledDaemon: [] as number[],
    dashboard: [] as number[],
    dashboardDaemon: [] as number[],
  }
  try {
    for (let run = 0; run < runs; run++) {
      // Restarted: every uptime is under a minute, so every second's frame differs (the costly case).
      daemon.tend('restart', 'all', '--json')
      const restartedAt = Date.now()
      await sleep(3000)
      const [idle] = await cpuOver([daemon.pid], seconds)
      values.idle.push(idle!)
      const [monit, monitDaemon] = await withMonit(daemon, (pid) => cpuOver([pid, daemon.pid], seconds))
      values.monitBusy.push(monit!)
      values.monitBusyDaemon.push(monitDaemon! - idle!)
      const [dashboard, dashboardDaemon] = await withDashboard(daemon, (pid) => cpuOver([pid, daemon.pid], seconds))
      values.dashboard.push(dashboard!)
      values.dashboardDaemon.push(dashboardDaemon! - idle!)
      // Settled: uptimes past a minute, idle figures: frames that would not change are not drawn.
      await sleep(Math.max(0, restartedAt + 62_000 - Date.now()))
      const [settled, settledDaemon] = await withMonit(daemon, (pid) => cpuOver([pid, daemon.pid], seconds))
      values.monitSettled.push(settled!)
      values.monitSettledDaemon.push(settledDaemon! - idle!)
    }
  } finally {
    await daemon.stop()
  }
  const unit = '% of a core'
  return [
    figure('monit', `daemon CPU, ${APPS} apps sampled every 1 s, nothing watching`, unit, values.idle),
    figure('monit', `tend monit process CPU, ${APPS} apps at 1 sample/s, a new frame every second (tmux 160×50)`, unit, values.monitBusy, {
      target: '< 2',
    }),
    figure('monit', 'daemon CPU added by tend monit', unit, values.monitBusyDaemon, { target: '< 1' }),
    figure('monit', `tend monit process CPU, ${APPS} idle apps up for over a minute (frames unchanged)`, unit, values.monitSettled, {
      target: '< 2',
    }),
    figure('monit', 'daemon CPU added by tend monit (settled)', unit, values.monitSettledDaemon, { target: '< 1' }),
    figure('monit', `tend dashboard process CPU, ${APPS} apps, one event stream`, unit, values.dashboard),
    figure('monit', 'daemon CPU added by tend dashboard', unit, values.dashboardDaemon),
  ]
}

const invokedDirectly = process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]
if (invokedDirectly) {
  for (const f of await runMonitBench({ quick: process.argv.includes('--quick') })) {
    console.log(`${f.metric}: ${f.median} ${f.unit} (${f.min}–${f.max}, ${f.runs} runs)${f.target ? `, target ${f.target}` : ''}`)
  }
}
