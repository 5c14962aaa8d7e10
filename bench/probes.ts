/**
 * What health probes cost the supervisor (issue 15): CPU time of this
 * process while it supervises 50 tiny HTTP servers, first with no probes,
 * then with an HTTP readiness and an HTTP liveness probe on each, every
 * second (100 checks a second). Measured with process.cpuUsage() over a
 * window after a warm-up; metrics sampling is off in both phases, so the
 * difference is the probes' cost.
 *
 *   node --import tsx bench/probes.ts [apps=50] [seconds=20] [interval=1000]
 *
 * `npm run bench -- --only=probes` runs it as Figure rows (a short form in --quick).
 */
import { fileURLToPath } from 'node:url'
import { Supervisor, type AppSpec } from '../src/index.js'
import { figure, freePort, sleep, type Figure } from './lib.js'

const server = fileURLToPath(new URL('./fixtures/hello-http.cjs', import.meta.url))

interface Phase {
  readonly cpuMs: number
  readonly wallMs: number
  /** Probe checks in the window: two probes per app, one check each per interval (0 without probes). */
  readonly checks: number
}

async function phase(apps: number, seconds: number, interval: number | null, warmUp: number): Promise<Phase> {
  const sup = new Supervisor({ metricsInterval: 0 })
  try {
    const base = await freePort(apps)
    const probe = interval === null ? null : ({ http: { path: '/' }, interval, timeout: interval } as const)
    const specs: AppSpec[] = Array.from({ length: apps }, (_, i) => ({
      name: `web-${i}`,
      script: server,
      env: { PORT: base + i },
      listenTimeout: 60_000,
      ...(probe ? { probes: { readiness: probe, liveness: probe } } : {}),
    }))
    await sup.start(specs)
    // Let the start-up work (spawning, output, JIT, the first connections) settle before measuring.
    await sleep(warmUp)
    const cpu = process.cpuUsage()
    const start = performance.now()
    await sleep(seconds * 1000)
    const used = process.cpuUsage(cpu)
    const wallMs = performance.now() - start
    // every app still online and ready, and (with probes) checked within the last two intervals
    const now = Date.now()
    const wrong = sup
      .list()
      .filter(
        (info) => info.status !== 'online' || (interval !== null && !(info.health?.ready && now - info.health.lastCheckAt! < 2 * interval)),
      )
    if (wrong.length > 0) throw new Error(`${wrong.length} app(s) not online, ready and probed at the end: ${JSON.stringify(wrong[0])}`)
    // two probes per app, one check each per interval
    return { cpuMs: (used.user + used.system) / 1000, wallMs, checks: interval === null ? 0 : (2 * apps * wallMs) / interval }
  } finally {
    await sup.close()
  }
}

/** No probes, then probes every `interval`, for `apps` servers. */
async function measure(apps: number, seconds: number, interval: number, warmUp: number): Promise<{ off: Phase; on: Phase }> {
  const off = await phase(apps, seconds, null, warmUp)
  const on = await phase(apps, seconds, interval, warmUp)
  return { off, on }
}

const percent = (phase: Phase): number => (phase.cpuMs / phase.wallMs) * 100

export async function runProbes({ quick }: { quick: boolean }): Promise<Figure[]> {
  const apps = quick ? 10 : 50
  const { off, on } = await measure(apps, quick ? 3 : 20, 1000, quick ? 1000 : 5000)
  const checks = on.checks > 0 ? [(on.cpuMs - off.cpuMs) / on.checks] : []
  return [
    figure('probes', `supervisor CPU, ${apps} HTTP apps, no probes`, '% of a core', [percent(off)]),
    figure('probes', `supervisor CPU, ${apps} HTTP apps, readiness + liveness every 1 s`, '% of a core', [percent(on)], {
      target: apps === 50 ? '< 2 %' : 'quick form: 10 apps',
    }),
    ...(checks.length > 0 ? [figure('probes', 'CPU per HTTP probe check', 'ms', checks)] : []),
  ]
}

const invokedDirectly = process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]
if (invokedDirectly) {
  const apps = Number(process.argv[2] ?? 50)
  const seconds = Number(process.argv[3] ?? 20)
  const interval = Number(process.argv[4] ?? 1000)
  const { off, on } = await measure(apps, seconds, interval, 5000)
  console.log(`${apps} HTTP apps, ${seconds} s per phase, readiness + liveness every ${interval} ms, node ${process.version}`)
  console.log(`no probes: ${off.cpuMs.toFixed(1)} ms CPU (${percent(off).toFixed(2)} % of one core)`)
  console.log(`probes:    ${on.cpuMs.toFixed(1)} ms CPU (${percent(on).toFixed(2)} % of one core), about ${Math.round(on.checks)} checks`)
  console.log(`per check: ${((on.cpuMs - off.cpuMs) / Math.max(1, on.checks)).toFixed(3)} ms CPU`)
}
