/**
 * `node --import tsx bench/rpc.ts [--quick]`: the round trip of `list()`
 * over RPC to a real daemon holding 50 processes (median and p99), next to
 * in-process `list()`; and the daemon's RSS with 20 idle apps.
 * Builds dist first, so the daemon measured is the one users run.
 * TEND_BENCH_NODE_FLAGS adds node flags to the daemon (to try V8 settings).
 */
import { execFileSync, spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { connect, type SupervisorClient } from '../src/rpc.js'
import { Supervisor, type AppSpec } from '../src/index.js'
import { MiB, round, rssOf } from './lib.js'

const quick = process.argv.includes('--quick')
const root = fileURLToPath(new URL('..', import.meta.url))
const daemonEntry = `${root}dist/daemon-main.js`
const idleApp = fileURLToPath(new URL('./fixtures/idle-app.cjs', import.meta.url))
/** 50 cheap processes: what list() carries does not depend on what they run. */
const sleepers: AppSpec = { name: 'sleepers', script: '/bin/sleep', args: ['3600'], interpreter: 'none', instances: 50 }

/** Private (anonymous) resident memory: RSS without the node binary's file pages, which every node process shares. */
function anonOf(pid: number): number {
  const match = /RssAnon:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
  return match ? Number(match[1]) * 1024 : Number.NaN
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b)
  return round(sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!, 3)
}

async function startDaemon(home: string): Promise<{ pid: number; client: SupervisorClient; stop: () => Promise<void> }> {
  const child = spawn(process.execPath, [...(process.env.TEND_BENCH_NODE_FLAGS ?? '').split(' ').filter(Boolean), daemonEntry], { env: { ...process.env, TEND_HOME: home }, stdio: 'ignore' })
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  const deadline = Date.now() + 20_000
  for (;;) {
    try {
      const client = await connect({ socketPath: `${home}/rpc.sock`, timeout: 120_000 })
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

async function main(): Promise<void> {
  execFileSync('npm', ['run', 'build', '--silent'], { cwd: root, stdio: 'ignore' })
  const calls = quick ? 300 : 2000
  const rows: string[] = []

  // list() round trip over RPC with 50 processes, next to in-process list()
  const home = mkdtempSync('/tmp/tend-bench-')
  try {
    const daemon = await startDaemon(home)
    try {
      await daemon.client.start(sleepers)
      await timeCalls(100, () => daemon.client.list())
      const remote = await timeCalls(calls, () => daemon.client.list())
      const bytes = JSON.stringify(await daemon.client.list()).length
      rows.push(`| list() over RPC, 50 processes (${round(bytes / 1024, 1)} KiB reply) | ${percentile(remote, 50)} ms | ${percentile(remote, 99)} ms | ${calls} | p50 ≤ 1 ms, p99 ≤ 3 ms (PM2 7: 8.1 / 14.6 ms) |`)
    } finally {
      await daemon.stop()
    }
    const sup = new Supervisor({ metricsInterval: 0 })
    try {
      await sup.start(sleepers)
      await timeCalls(100, () => sup.list())
      const local = await timeCalls(calls, () => sup.list())
      rows.push(`| list() in process, 50 processes | ${percentile(local, 50)} ms | ${percentile(local, 99)} ms | ${calls} | |`)
    } finally {
      await sup.close()
    }

    // the daemon's RSS with 20 idle apps (a fresh daemon, after a few metrics samples)
    const fresh = await startDaemon(home)
    try {
      const empty = rssOf(fresh.pid)
      await fresh.client.start(Array.from({ length: 20 }, (_, i): AppSpec => ({ name: `idle-${i}`, script: idleApp })))
      await new Promise((resolve) => setTimeout(resolve, 3000))
      const samples: number[] = []
      const anon: number[] = []
      for (let i = 0; i < 5; i++) {
        await new Promise((resolve) => setTimeout(resolve, 500))
        samples.push(rssOf(fresh.pid))
        anon.push(anonOf(fresh.pid))
      }
      const median = (values: number[]): number => [...values].sort((a, b) => a - b)[2]!
      rows.push(`| daemon RSS, no apps | ${round(empty / MiB, 1)} MiB | | 1 | |`)
      rows.push(`| daemon RSS, 20 idle apps | ${round(median(samples) / MiB, 1)} MiB | max ${round(Math.max(...samples) / MiB, 1)} MiB | ${samples.length} | ≤ 30.5 MiB (0.5x PM2 7's 61 MiB) |`)
      rows.push(`| daemon private memory (RssAnon), 20 idle apps | ${round(median(anon) / MiB, 1)} MiB | max ${round(Math.max(...anon) / MiB, 1)} MiB | ${anon.length} | |`)
    } finally {
      await fresh.stop()
    }
  } finally {
    rmSync(home, { recursive: true, force: true })
  }
  console.log(['| scenario | median | p99 / max | samples | target |', '| --- | --- | --- | --- | --- |', ...rows].join('\n'))
}

main().catch((error: unknown) => {
  console.error(error)
  process.exitCode = 1
})
