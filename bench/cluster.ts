/**
 * Cluster scenarios (issue 4): start latency, reload under load, throughput
 * next to a plain node:cluster primary, and scale 1 → 8, all in one run.
 */
import { spawn } from 'node:child_process'
import { createServer } from 'node:net'
import { fileURLToPath } from 'node:url'
import { Supervisor } from '../src/index.js'
import { compare, figure, type Figure } from './lib.js'

const app = fileURLToPath(new URL('./fixtures/hello-http.cjs', import.meta.url))
const plainCluster = fileURLToPath(new URL('./fixtures/plain-cluster.cjs', import.meta.url))
const loadScript = fileURLToPath(new URL('./fixtures/load.mjs', import.meta.url))

interface LoadResult {
  ok: number
  failed: number
  errors: Record<string, number>
  samples: [number, number][]
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer()
    probe.once('error', reject)
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number }
      probe.close(() => resolve(port))
    })
  })
}

/** Runs the load generator in its own process. */
export function load(port: number, ms: number, concurrency: number, mode: 'keepalive' | 'new'): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [loadScript, String(port), String(ms), String(concurrency), mode], { stdio: ['ignore', 'pipe', 'inherit'] })
    let out = ''
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk))
    child.once('error', reject)
    child.once('exit', (code) => (code === 0 ? resolve(JSON.parse(out) as LoadResult) : reject(new Error(`load exited with ${code}`))))
  })
}

async function answers(port: number, timeout = 20_000): Promise<void> {
  const deadline = Date.now() + timeout
  for (;;) {
    try {
      const response = await fetch(`http://127.0.0.1:${port}/`)
      await response.text()
      if (response.ok) return
    } catch (error) {
      if (Date.now() > deadline) throw error
    }
    await new Promise((resolve) => setTimeout(resolve, 5))
  }
}

async function bareToFirstResponse(): Promise<number> {
  const port = await freePort()
  const started = performance.now()
  const child = spawn(process.execPath, [app], { env: { ...process.env, PORT: String(port) }, stdio: 'ignore' })
  await answers(port)
  const ms = performance.now() - started
  await new Promise<void>((resolve) => {
    child.once('exit', () => resolve())
    child.kill('SIGKILL')
  })
  return ms
}

async function withPlainCluster<T>(workers: number, port: number, fn: () => Promise<T>): Promise<T> {
  const child = spawn(process.execPath, [plainCluster, String(workers)], { env: { ...process.env, PORT: String(port) }, stdio: ['ignore', 'pipe', 'inherit'] })
  await new Promise<void>((resolve, reject) => {
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => chunk.includes('ready') && resolve())
    child.once('exit', (code) => reject(new Error(`plain cluster exited with ${code}`)))
  })
  try {
    return await fn()
  } finally {
    await new Promise<void>((resolve) => {
      child.removeAllListeners('exit')
      child.once('exit', () => resolve())
      child.kill('SIGTERM')
    })
  }
}

function p99(latencies: number[]): number {
  if (latencies.length === 0) return 0
  const sorted = [...latencies].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.99))]!
}

export async function runCluster({ quick }: { quick: boolean }): Promise<Figure[]> {
  const runs = quick ? 3 : 7
  const figures: Figure[] = []
  const sup = new Supervisor({ metricsInterval: 0 })
  try {
    // 1. start latency until every instance is online and the port answers
    const bare: number[] = []
    for (let i = 0; i < runs; i++) bare.push(await bareToFirstResponse())
    figures.push(figure('start', 'bare `node app.js` to first HTTP response', 'ms', bare))
    for (const n of [1, 2, 4, 8]) {
      const values: number[] = []
      for (let i = 0; i < runs; i++) {
        const port = await freePort()
        const started = performance.now()
        await sup.start({ name: `c${n}`, script: app, mode: 'cluster', instances: n, env: { PORT: port } })
        await answers(port)
        values.push(performance.now() - started)
        await sup.delete(`c${n}`)
      }
      figures.push(
        figure('start', `cluster ×${n}: start() until online and answering`, 'ms', values, {
          baseline: compare('bare node to first response', values, bare),
          target: n === 8 ? '≤ 0.3x PM2 (1,266 ms): ≤ 380 ms' : n === 1 ? 'PM2: 162 ms' : undefined,
        }),
      )
    }
    {
      const values: number[] = []
      for (let i = 0; i < runs; i++) {
        const port = await freePort()
        const started = performance.now()
        await sup.start({ name: 'f4', script: app, instances: 4, env: { PORT: port }, incrementVar: 'PORT' })
        await Promise.all([0, 1, 2, 3].map((k) => answers(port + k)))
        values.push(performance.now() - started)
        await sup.delete('f4')
      }
      figures.push(figure('start', 'fork ×4 (a port each): start() until all answer', 'ms', values, { baseline: compare('bare node to first response', values, bare) }))
    }

    // 2. reload under load (cluster 2 and 4)
    for (const n of [2, 4]) {
      const total: number[] = []
      const failed: number[] = []
      const p99s: number[] = []
      const durations: number[] = []
      for (let i = 0; i < runs; i++) {
        const port = await freePort()
        await sup.start({ name: 'reload', script: app, mode: 'cluster', instances: n, env: { PORT: port } })
        const loadMs = quick ? 2500 : 4000
        const running = load(port, loadMs, 8, i % 2 === 0 ? 'keepalive' : 'new')
        await new Promise((resolve) => setTimeout(resolve, 500))
        const t0 = performance.now()
        await sup.reload('reload')
        const duration = performance.now() - t0
        const result = await running
        total.push(result.ok + result.failed)
        failed.push(result.failed)
        // samples are relative to the load's start, which was ~500 ms before the reload
        const during = result.samples.filter(([at]) => at >= 450 && at <= 550 + duration).map(([, ms]) => ms)
        p99s.push(p99(during))
        durations.push(duration)
        await sup.delete('reload')
      }
      figures.push(
        figure('reload', `cluster ×${n}: requests during a run with one reload`, 'requests', total),
        figure('reload', `cluster ×${n}: failed requests`, 'requests', failed, { target: '0 (PM2 7: 8–9 of ~45,000 for ×2)' }),
        figure('reload', `cluster ×${n}: p99 latency during the reload`, 'ms', p99s),
        figure('reload', `cluster ×${n}: reload duration`, 'ms', durations),
      )
    }

    // 3. throughput next to a plain node:cluster primary with the same workers
    for (const mode of ['keepalive', 'new'] as const) {
      const ours: number[] = []
      const plain: number[] = []
      const ms = quick ? 2000 : 4000
      for (let i = 0; i < (quick ? 2 : 4); i++) {
        const port = await freePort()
        await sup.start({ name: 'tp', script: app, mode: 'cluster', instances: 2, env: { PORT: port } })
        const r = await load(port, ms, 16, mode)
        ours.push((r.ok / ms) * 1000)
        await sup.delete('tp')
        const plainPort = await freePort()
        const p = await withPlainCluster(2, plainPort, () => load(plainPort, ms, 16, mode))
        plain.push((p.ok / ms) * 1000)
      }
      figures.push(
        figure('throughput', `cluster ×2, ${mode === 'keepalive' ? 'keep-alive' : 'new connection per request'}`, 'req/s', ours, {
          baseline: compare('plain node:cluster primary ×2', ours, plain),
          target: '≥ 0.98x plain (PM2: 0.99 keep-alive, 0.88 new)',
        }),
      )
    }

    // 4. scale 1 → 8 (answering) → 1
    const up: number[] = []
    const down: number[] = []
    for (let i = 0; i < runs; i++) {
      const port = await freePort()
      await sup.start({ name: 'scale', script: app, mode: 'cluster', instances: 1, env: { PORT: port } })
      let t = performance.now()
      await sup.scale('scale', 8)
      await answers(port)
      up.push(performance.now() - t)
      t = performance.now()
      await sup.scale('scale', 1)
      down.push(performance.now() - t)
      await sup.delete('scale')
    }
    figures.push(
      figure('scale', 'scale 1 → 8 until all online (listening)', 'ms', up, { target: '≤ 0.35x PM2 (996 ms): ≤ 349 ms' }),
      figure('scale', 'scale 8 → 1 (graceful)', 'ms', down),
    )
  } finally {
    await sup.close()
  }
  return figures
}
