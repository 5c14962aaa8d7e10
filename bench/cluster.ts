/**
 * Cluster scenarios (issues 4 and 7): start latency, reload under load,
 * throughput next to a plain node:cluster primary, and scale 1 → 8 → 1, all
 * in one run; with `--compare pm2` each also runs against PM2, interleaved.
 */
import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { reloadUnderLoad } from './cluster-reload.js'
import { withContenders, type Contender, type ScenarioOptions } from './contender.js'
import { answers, load } from './load.js'
import { freePort } from './lib.js'
import { compare, figure, interleave, paired, type Figure } from './lib.js'

const app = fileURLToPath(new URL('./fixtures/hello-http.cjs', import.meta.url))
const plainCluster = fileURLToPath(new URL('./fixtures/plain-cluster.cjs', import.meta.url))

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
  const child = spawn(process.execPath, [plainCluster, String(workers)], {
    env: { ...process.env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'inherit'],
  })
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

export async function runCluster({ quick, contenders }: ScenarioOptions): Promise<Figure[]> {
  const runs = quick ? 3 : 5
  return withContenders(contenders, async (sides) => [
    ...(await startLatency(sides, runs)),
    ...(await reloadUnderLoad(sides, quick ? 1 : 3, quick)),
    ...(await throughput(sides, quick)),
    ...(await scaleUpDown(sides, runs)),
  ])
}

/** Only the reload under load (`--only=cluster-reload`), with more runs: the figure a drain change moves. */
export async function runClusterReload({ quick, contenders }: ScenarioOptions): Promise<Figure[]> {
  return withContenders(contenders, (sides) => reloadUnderLoad(sides, quick ? 2 : 5, quick))
}

/** start() until every instance is online and the port answers. */
async function startLatency(sides: Contender[], runs: number): Promise<Figure[]> {
  const bare: number[] = []
  for (let i = 0; i < runs; i++) bare.push(await bareToFirstResponse())
  const figures = [figure('start', 'bare `node app.js` to first HTTP response', 'ms', bare)]
  for (const n of [1, 2, 4, 8]) {
    const results = await interleave(sides, runs, async (side) => {
      const port = await freePort()
      const started = performance.now()
      await side.start({ name: `c${n}`, script: app, mode: 'cluster', instances: n, env: { PORT: port } })
      await answers(port)
      const ms = performance.now() - started
      await side.delete(`c${n}`)
      return { ms }
    })
    const ours = results.get('tend')!.map((r) => r.ms!)
    figures.push(
      paired(results, 'ms', 'start', `cluster ×${n}: start() until online and answering`, 'ms', {
        baseline: compare('bare node to first response', ours, bare),
        target: n === 8 ? '≤ 0.3x PM2 (1,266 ms): ≤ 380 ms' : n === 1 ? 'PM2: 162 ms' : undefined,
      }),
    )
  }
  const fork = await interleave(sides, runs, async (side) => {
    const port = await freePort(4)
    const started = performance.now()
    await side.start({ name: 'f4', script: app, instances: 4, env: { PORT: port }, incrementVar: 'PORT' })
    await Promise.all([0, 1, 2, 3].map((k) => answers(port + k)))
    const ms = performance.now() - started
    await side.delete('f4')
    return { ms }
  })
  const ours = fork.get('tend')!.map((r) => r.ms!)
  figures.push(
    paired(fork, 'ms', 'start', 'fork ×4 (a port each): start() until all answer', 'ms', {
      baseline: compare('bare node to first response', ours, bare),
    }),
  )
  return figures
}

/** req/s of a 2-worker cluster next to a plain node:cluster primary with the same workers, in the same rounds. */
async function throughput(sides: Contender[], quick: boolean): Promise<Figure[]> {
  const figures: Figure[] = []
  const ms = quick ? 1500 : 3000
  for (const mode of ['keepalive', 'new'] as const) {
    const plain: number[] = []
    const results = await interleave(sides, quick ? 2 : 4, async (side) => {
      if (side === sides[0]) {
        const plainPort = await freePort()
        const p = await withPlainCluster(2, plainPort, () => load(plainPort, ms, 16, mode))
        plain.push((p.ok / ms) * 1000)
      }
      const port = await freePort()
      await side.start({ name: 'tp', script: app, mode: 'cluster', instances: 2, env: { PORT: port } })
      await answers(port)
      const r = await load(port, ms, 16, mode)
      await side.delete('tp')
      return { rps: (r.ok / ms) * 1000 }
    })
    const label = mode === 'keepalive' ? 'keep-alive' : 'new connection per request'
    const ours = results.get('tend')!.map((r) => r.rps!)
    figures.push(
      paired(results, 'rps', 'throughput', `cluster ×2, ${label}`, 'req/s', {
        baseline: compare('plain node:cluster primary ×2', ours, plain),
        target: '≥ 0.98x plain (PM2: 0.99 keep-alive, 0.88 new)',
      }),
    )
    for (const [name, samples] of results) {
      if (name === 'tend') continue
      const theirs = samples.map((r) => r.rps!)
      figures.push(
        figure('throughput', `${name}: cluster ×2, ${label}`, 'req/s', theirs, {
          baseline: compare('plain node:cluster primary ×2', theirs, plain),
        }),
      )
    }
  }
  return figures
}

/** scale 1 → 8 until the added workers listen (and the port answers), then 8 → 1. */
async function scaleUpDown(sides: Contender[], runs: number): Promise<Figure[]> {
  const results = await interleave(sides, runs, async (side) => {
    const port = await freePort()
    await side.start({ name: 'scale', script: app, mode: 'cluster', instances: 1, env: { PORT: port } })
    let t = performance.now()
    await side.scale('scale', 8)
    await answers(port)
    const up = performance.now() - t
    t = performance.now()
    await side.scale('scale', 1)
    const down = performance.now() - t
    await side.delete('scale')
    return { up, down }
  })
  return [
    paired(results, 'up', 'scale', 'scale 1 → 8 until all online (listening)', 'ms', { target: '≤ 0.35x PM2 (996 ms): ≤ 349 ms' }),
    paired(results, 'down', 'scale', 'scale 8 → 1 (graceful)', 'ms'),
  ]
}
