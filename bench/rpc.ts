/**
 * `node --import tsx bench/rpc.ts [--quick]`: the round trip of `list()`
 * over RPC to a real daemon holding 50 processes (median and p99), next to
 * in-process `list()`; and the daemon's RSS with 20 idle apps.
 * Builds dist first, so the daemon measured is the one users run.
 * `npm run bench` runs it too (runRpc), as Figure rows; with `--compare pm2`
 * PM2's list() (always a call to its daemon) is timed in the same rounds.
 * TEND_BENCH_NODE_FLAGS adds node flags to the daemon (to try V8 settings).
 */
import { execFileSync, spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { connect, type SupervisorClient } from '../src/rpc.js'
import type { AppSpec } from '../src/index.js'
import { withContenders, type ScenarioOptions } from './contender.js'
import { figure, MiB, ratio, round, rssOf, stats, type Figure } from './lib.js'

const root = fileURLToPath(new URL('..', import.meta.url))
const daemonEntry = `${root}dist/daemon-main.js`
const idleApp = fileURLToPath(new URL('./fixtures/idle-app.cjs', import.meta.url))
/** 50 cheap processes: what list() carries does not depend on what they run. */
const sleepers: AppSpec = { name: 'sleepers', script: '/bin/sleep', args: ['3600'], interpreter: 'none', instances: 50 }

/** Private (anonymous) resident memory: RSS without the node binary's file pages, which every node process shares. */
export function anonOf(pid: number): number {
  const match = /RssAnon:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
  return match ? Number(match[1]) * 1024 : Number.NaN
}

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b)
  return round(sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!, 3)
}

export async function startDaemon(
  home: string,
  callTimeout = 120_000,
): Promise<{ pid: number; client: SupervisorClient; stop: () => Promise<void> }> {
  const child = spawn(process.execPath, [...(process.env.TEND_BENCH_NODE_FLAGS ?? '').split(' ').filter(Boolean), daemonEntry], {
    env: { ...process.env, TEND_HOME: home },
    stdio: 'ignore',
  })
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  const deadline = Date.now() + 20_000
  for (;;) {
    try {
      const client = await connect({ socketPath: `${home}/rpc.sock`, timeout: callTimeout })
      return {
        pid: child.pid!,
        client,
        stop: async () => {
          await client.call('kill').catch(() => undefined)
          await client.close()
          await exited
        },
      }
    } catch (error) {
      if (Date.now() > deadline) throw error
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
  }
}

async function timeCalls(calls: number, call: () => unknown): Promise<number[]> {
  const samples: number[] = []
  for (let i = 0; i < calls; i++) {
    const started = performance.now()
    await call()
    samples.push(performance.now() - started)
  }
  return samples
}

/** list() over tend/rpc to a daemon with 50 processes (and PM2's list() in the same rounds), in-process list(), the daemon's RSS. */
export async function runRpc({ quick, contenders }: ScenarioOptions): Promise<Figure[]> {
  execFileSync('npm', ['run', 'build', '--silent'], { cwd: root, stdio: 'ignore' })
  const calls = quick ? 300 : 2000
  const figures: Figure[] = []

  // list() round trip over RPC with 50 processes, next to PM2's list() and in-process list()
  const home = mkdtempSync('/tmp/tend-bench-')
  try {
    const daemon = await startDaemon(home)
    try {
      await daemon.client.start(sleepers)
      await timeCalls(100, () => daemon.client.list())
      const remote = await timeCalls(calls, () => daemon.client.list())
      const bytes = JSON.stringify(await daemon.client.list()).length
      let rpcList = figure(
        'control',
        `list() over tend/rpc, 50 processes (${round(bytes / 1024, 1)} KiB reply; p99 ${percentile(remote, 99)} ms)`,
        'ms',
        remote,
        {
          target: 'p50 ≤ 1 ms, p99 ≤ 3 ms (PM2 7: 8.1 / 14.6 ms)',
        },
      )
      // PM2 (every list() is a call to its daemon), alternating with tend call by call
      await withContenders(contenders.slice(1), async ([pm2]) => {
        if (!pm2) return
        await pm2.start({ name: 'sleepers', script: '/bin/sleep', binary: true, args: ['3600'], instances: 50 })
        for (let i = 0; i < 20; i++) await pm2.list()
        const pairs = Math.min(calls, quick ? 100 : 400)
        const ours: number[] = []
        const theirs: number[] = []
        for (let i = 0; i < pairs; i++) {
          ours.push(...(await timeCalls(1, () => daemon.client.list())))
          theirs.push(...(await timeCalls(1, () => pm2.list())))
        }
        const t = stats(theirs)
        rpcList = figure(
          'control',
          `list() over tend/rpc, 50 processes (${round(bytes / 1024, 1)} KiB reply; p99 ${percentile(ours, 99)} ms, PM2 p99 ${percentile(theirs, 99)} ms)`,
          'ms',
          ours,
          {
            target: rpcList.target,
            versus: { label: pm2.label, median: t.median, min: t.min, max: t.max, ratio: ratio(stats(ours).median, t.median) },
          },
        )
      })
      figures.push(rpcList)
    } finally {
      await daemon.stop()
    }
    // in-process list() with 50 processes is in bench/control.ts, next to PM2's

    // the daemon's RSS with 20 idle apps (a fresh daemon, after a few metrics samples)
    const fresh = await startDaemon(home)
    try {
      const empty = rssOf(fresh.pid)
      await fresh.client.start(Array.from({ length: 20 }, (_, i): AppSpec => ({ name: `idle-${i}`, script: idleApp })))
      await new Promise((resolve) => setTimeout(resolve, quick ? 2000 : 3000))
      const samples: number[] = []
      const anon: number[] = []
      for (let i = 0; i < 5; i++) {
        await new Promise((resolve) => setTimeout(resolve, 500))
        samples.push(rssOf(fresh.pid) / MiB)
        anon.push(anonOf(fresh.pid) / MiB)
      }
      figures.push(
        figure('overhead', 'tend daemon RSS, no apps', 'MiB', [empty / MiB]),
        figure('overhead', 'tend daemon RSS, 20 idle node apps', 'MiB', samples, { target: "≤ 30.5 MiB (0.5x PM2 7's 61 MiB)" }),
        figure('overhead', 'tend daemon private memory (RssAnon), 20 idle node apps', 'MiB', anon),
      )
    } finally {
      await fresh.stop()
    }
  } finally {
    rmSync(home, { recursive: true, force: true })
  }
  return figures
}

const invokedDirectly = process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]
if (invokedDirectly) {
  const figures = await runRpc({ quick: process.argv.includes('--quick'), contenders: [] })
  const rows = figures.map((f) => `| ${f.metric} | ${f.median} ${f.unit} | ${f.min}–${f.max} | ${f.runs} | ${f.target ?? ''} |`)
  console.log(['| scenario | median | min–max | samples | target |', '| --- | --- | --- | --- | --- |', ...rows].join('\n'))
}
