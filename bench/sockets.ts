/**
 * Sockets held by the supervisor (issue 14), tend's `listen` next to PM2's
 * fork mode (which has no such thing: the app binds its port itself):
 * 1. fork ×1 on a port, reloaded again and again under keep-alive and
 *    new-connection load: failed requests per reload and p99 latency;
 * 2. fork ×1 SIGKILLed under new-connection load: refused connections and
 *    the time until it serves again;
 * 3. a Python app (LISTEN_FDS) reloaded under load: failed requests;
 * 4. (`sockets-throughput`) fork ×2 on one held socket against cluster ×2
 *    and one bare process: new-connection and keep-alive throughput.
 */
import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { answers, backgroundLoad, load, p99, type LoadResult } from './load.js'
import { withContenders, type BenchApp, type Contender, type ScenarioOptions } from './contender.js'
import { compare, figure, freePort, interleave, paired, sleep, type Figure } from './lib.js'

const app = fileURLToPath(new URL('./fixtures/plain-http.cjs', import.meta.url))
const pythonApp = fileURLToPath(new URL('../test/fixtures/listen-fds.py', import.meta.url))

function merge(results: LoadResult[]): LoadResult {
  const errors: Record<string, number> = {}
  for (const result of results) for (const [message, n] of Object.entries(result.errors)) errors[message] = (errors[message] ?? 0) + n
  return {
    ok: results.reduce((sum, r) => sum + r.ok, 0),
    failed: results.reduce((sum, r) => sum + r.failed, 0),
    errors,
    samples: results.flatMap((r) => r.samples),
  }
}

function refused(result: LoadResult): number {
  return Object.entries(result.errors)
    .filter(([message]) => message.includes('ECONNREFUSED'))
    .reduce((sum, [, n]) => sum + n, 0)
}

/** The app as each contender runs it: tend holds the port, PM2 leaves it to the app. */
function onPort(port: number, extra: Partial<BenchApp> & { name: string; script: string }): BenchApp {
  return { env: { PORT: port }, listen: `127.0.0.1:${port}`, ...extra }
}

async function pidOf(side: Contender, name: string): Promise<number> {
  const found = (await side.list()).find((p) => p.name === name && p.pid !== null)
  if (!found) throw new Error(`${side.label}: no running process for ${name}`)
  return found.pid!
}

export async function runSockets({ quick, contenders }: ScenarioOptions): Promise<Figure[]> {
  return withContenders(contenders, async (sides) => [
    ...(await reloads(sides, quick, 'node')),
    ...(await crash(sides, quick)),
    ...(await reloads(sides, quick, 'python')),
  ])
}

/** Many reloads of fork ×1 under keep-alive and new-connection load at once. */
async function reloads(sides: Contender[], quick: boolean, kind: 'node' | 'python'): Promise<Figure[]> {
  const counts: Record<string, number> =
    kind === 'node' ? { tend: quick ? 3 : 100, PM2: quick ? 1 : 10 } : { tend: quick ? 2 : 20, PM2: quick ? 1 : 5 }
  const results = await interleave(sides, 1, async (side) => {
    const port = await freePort()
    const name = `${kind}-reload`
    const spec = kind === 'node' ? { name, script: app } : { name, script: pythonApp, interpreter: 'python3', killTimeout: 5000 }
    await side.start(onPort(port, spec))
    await answers(port)
    const loads = [backgroundLoad(port, 4, 'keepalive'), backgroundLoad(port, 4, 'new')]
    await sleep(300)
    const n = counts[side.label] ?? 5
    const durations: number[] = []
    for (let i = 0; i < n; i++) {
      const started = performance.now()
      await side.reload(name)
      durations.push(performance.now() - started)
      await answers(port) // PM2's replacement may not be listening yet when its reload resolves
    }
    await sleep(300)
    const result = merge(await Promise.all(loads.map((l) => l.stop())))
    await side.delete(name)
    return {
      reloads: n,
      failed: result.failed,
      perReload: result.failed / n,
      refused: refused(result),
      total: result.ok + result.failed,
      p99: p99(result.samples.map(([, ms]) => ms)),
      duration: durations.reduce((a, b) => a + b, 0) / n,
    }
  })
  const what = kind === 'node' ? 'fork ×1 node app on a port' : 'fork ×1 Python app (LISTEN_FDS under tend)'
  const reloadsOf = (label: string): number => results.get(label)?.[0]?.reloads ?? 0
  const runs = [...results.keys()].map((label) => `${label}: ${reloadsOf(label)}`).join(', ')
  return [
    paired(results, 'failed', 'sockets', `${what}: failed requests over the reloads (${runs})`, 'requests', {
      target: kind === 'node' ? '0 in 100 reloads (PM2 7: 138–163 per reload)' : '0',
    }),
    paired(results, 'perReload', 'sockets', `${what}: failed requests per reload`, 'requests'),
    paired(results, 'refused', 'sockets', `${what}: refused connections over the reloads`, 'connections'),
    paired(results, 'p99', 'sockets', `${what}: p99 latency across the reloads`, 'ms'),
    paired(results, 'duration', 'sockets', `${what}: mean reload duration`, 'ms'),
    paired(results, 'total', 'sockets', `${what}: requests answered or failed in the run`, 'requests'),
  ]
}

/** SIGKILL to fork ×1 under new-connection load: refused connections, and how long until it serves again. */
async function crash(sides: Contender[], quick: boolean): Promise<Figure[]> {
  const results = await interleave(sides, quick ? 1 : 3, async (side) => {
    const port = await freePort()
    await side.start(onPort(port, { name: 'held-crash', script: app }))
    await answers(port)
    const running = backgroundLoad(port, 8, 'new')
    await sleep(500)
    const pid = await pidOf(side, 'held-crash')
    const killed = performance.now()
    process.kill(pid, 'SIGKILL')
    await answers(port)
    const serving = performance.now() - killed
    await sleep(500)
    const result = await running.stop()
    await side.delete('held-crash')
    return { refused: refused(result), failed: result.failed, serving }
  })
  return [
    paired(results, 'refused', 'sockets', 'fork ×1 SIGKILLed under new-connection load: refused connections', 'connections', {
      target: '0',
    }),
    paired(results, 'failed', 'sockets', 'fork ×1 SIGKILLed under new-connection load: failed requests (refused or reset)', 'requests'),
    paired(results, 'serving', 'sockets', 'fork ×1 SIGKILLed: until a new connection is answered again', 'ms'),
  ]
}

/**
 * One bare process, fork ×2 on a held socket and cluster ×2 (tend's, and
 * PM2's with --compare), on new connections and keep-alive. Each round runs
 * every setup once, in an order that rotates from round to round, and the
 * ratios are taken within a round: on a shared machine the load drifts more
 * between rounds than within one.
 */
export async function runSocketsThroughput({ quick, contenders }: ScenarioOptions): Promise<Figure[]> {
  const ms = quick ? 600 : 2000
  const rounds = quick ? 1 : 5
  return withContenders(contenders, async (sides) => {
    const figures: Figure[] = []
    for (const mode of ['new', 'keepalive'] as const) {
      const rps = new Map<string, number[]>()
      const ratios = new Map<string, number[]>()
      const setups: [string, () => Promise<number>][] = [
        ['one bare node process', () => bareRps(ms, mode)],
        ['tend fork ×2 on one held socket', () => supervisedRps(sides[0]!, { name: 'held-x2', script: app, instances: 2 }, ms, mode, true)],
        ...sides.map((side): [string, () => Promise<number>] => [
          `${side.label} cluster ×2`,
          () => supervisedRps(side, { name: 'cluster-x2', script: app, mode: 'cluster', instances: 2 }, ms, mode, false),
        ]),
      ]
      for (let round = 0; round < rounds; round++) {
        const measured = new Map<string, number>()
        for (let k = 0; k < setups.length; k++) {
          const [label, measure] = setups[(k + round) % setups.length]!
          measured.set(label, await measure())
        }
        for (const [label, value] of measured) {
          rps.set(label, [...(rps.get(label) ?? []), value])
          ratios.set(label, [...(ratios.get(label) ?? []), value / measured.get('one bare node process')!])
        }
      }
      const label = mode === 'keepalive' ? 'keep-alive' : 'new connection per request'
      for (const [setup, values] of rps) {
        const isBare = setup === 'one bare node process'
        figures.push(
          figure(
            'sockets',
            `${setup}, ${label}`,
            'req/s',
            values,
            isBare ? {} : { baseline: compare('one bare process', values, rps.get('one bare node process')!) },
          ),
        )
        if (!isBare) {
          figures.push(
            figure('sockets', `${setup} / one bare process, ${label} (ratio within each round)`, 'x', ratios.get(setup)!, {
              target: setup.startsWith('tend fork') ? '≥ 1.0x (PM2 cluster ×2: 0.61x on new connections)' : undefined,
            }),
          )
        }
      }
    }
    return figures
  })
}

async function bareRps(ms: number, mode: 'new' | 'keepalive'): Promise<number> {
  const port = await freePort()
  const child = spawn(process.execPath, [app], { env: { ...process.env, PORT: String(port) }, stdio: 'ignore' })
  try {
    await answers(port)
    return ((await load(port, ms, 16, mode)).ok / ms) * 1000
  } finally {
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve())
      child.kill('SIGKILL')
    })
  }
}

async function supervisedRps(side: Contender, spec: BenchApp, ms: number, mode: 'new' | 'keepalive', held: boolean): Promise<number> {
  const port = await freePort()
  await side.start(held ? onPort(port, spec) : { ...spec, env: { PORT: port } })
  try {
    await answers(port)
    return ((await load(port, ms, 16, mode)).ok / ms) * 1000
  } finally {
    await side.delete(spec.name)
  }
}
