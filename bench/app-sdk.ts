/**
 * What tendjs/app costs (issue 16):
 * 1. the throughput of an HTTP app that increments a counter and observes a
 *    histogram on every request, next to the same app without tendjs/app,
 *    both under tend (fork mode, one process), interleaved; goal ≥ 0.97x;
 * 2. the supervisor's CPU with 50 processes reporting 20 metrics each (every
 *    metric changing, so each process sends its one report a second), next
 *    to 50 idle node processes; and the time of one prometheus() of them.
 *
 *   node --import tsx bench/app-sdk.ts [--quick]
 *
 * Both use the built dist/app.js (built first), as an app would.
 */
import { execFileSync, spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { Supervisor } from '../src/index.js'
import type { ScenarioOptions } from './contender.js'
import { compare, figure, freePort, sleep, type Figure } from './lib.js'

const root = fileURLToPath(new URL('..', import.meta.url))
const fixture = (name: string): string => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url))

function load(port: number, ms: number, concurrency: number): Promise<{ ok: number; failed: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [fixture('load.mjs'), String(port), String(ms), String(concurrency), 'keepalive'], {
      stdio: ['ignore', 'pipe', 'inherit'],
    })
    let out = ''
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()))
    child.once('error', reject)
    child.once('exit', () => {
      try {
        resolve(JSON.parse(out) as { ok: number; failed: number })
      } catch (error) {
        reject(error)
      }
    })
  })
}

/** Requests per second of the app, with or without its counter. */
async function throughput(counter: boolean, ms: number): Promise<number> {
  const sup = new Supervisor({ metricsInterval: 1000 })
  try {
    const port = await freePort()
    await sup.start({ name: 'web', script: fixture('counter-http.mjs'), env: { PORT: port, COUNTER: counter ? '1' : '0' } })
    await load(port, 300, 8) // warm-up (JIT, keep-alive sockets)
    const { ok, failed } = await load(port, ms, 8)
    if (failed > 0) throw new Error(`${failed} requests failed`)
    return ok / (ms / 1000)
  } finally {
    await sup.close()
  }
}

/** The supervisor's CPU (% of one core) over `seconds` with 50 processes of `script`. */
async function supervisorCpu(
  script: string,
  reporting: boolean,
  seconds: number,
): Promise<{ cpu: number; scrapeMs: number; series: number }> {
  const sup = new Supervisor({ metricsInterval: 1000 })
  try {
    await sup.start({ name: 'reporters', script, instances: 50, killTimeout: 5000 })
    // until every process has reported (or, for the idle ones, a few seconds)
    const deadline = Date.now() + 30_000
    while (reporting && sup.metrics().some((one) => one.metrics.length < 20) && Date.now() < deadline) await sleep(200)
    await sleep(2000)
    const before = process.cpuUsage()
    const start = performance.now()
    await sleep(seconds * 1000)
    const used = process.cpuUsage(before)
    const cpu = ((used.user + used.system) / 1000 / (performance.now() - start)) * 100
    const t = performance.now()
    const text = await sup.prometheus()
    const scrapeMs = performance.now() - t
    return { cpu, scrapeMs, series: text.split('\n').filter((line) => line !== '' && !line.startsWith('#')).length }
  } finally {
    await sup.close()
  }
}

export async function runAppSdk({ quick }: ScenarioOptions): Promise<Figure[]> {
  execFileSync('npm', ['run', 'build', '--silent'], { cwd: root, stdio: 'ignore' })
  const runs = quick ? 2 : 6
  const ms = quick ? 2000 : 4000
  const bare: number[] = []
  const counted: number[] = []
  // ABBA: on a shared machine the load drifts; alternating the order evens it out
  for (let run = 0; run < runs; run++) {
    for (const counter of run % 2 === 0 ? [false, true] : [true, false]) {
      ;(counter ? counted : bare).push(await throughput(counter, ms))
    }
  }
  const seconds = quick ? 3 : 8
  const idle = await supervisorCpu(fixture('idle-app.cjs'), false, seconds)
  const reporting = await supervisorCpu(fixture('metrics-reporter.mjs'), true, seconds)
  return [
    figure('app-sdk', 'HTTP req/s, a counter and a histogram per request', 'req/s', counted, {
      baseline: compare('the same app without tendjs/app', counted, bare),
      target: '≥ 0.97x',
    }),
    figure('app-sdk', 'supervisor CPU, 50 idle node processes', '% of a core', [idle.cpu]),
    figure('app-sdk', 'supervisor CPU, 50 processes reporting 20 metrics each', '% of a core', [reporting.cpu]),
    figure('app-sdk', `one prometheus() of 50 × 20 metrics (${reporting.series} series)`, 'ms', [reporting.scrapeMs]),
  ]
}

const invokedDirectly = process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]
if (invokedDirectly) {
  for (const row of await runAppSdk({ quick: process.argv.includes('--quick') } as ScenarioOptions)) console.log(JSON.stringify(row))
}
