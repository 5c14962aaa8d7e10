/**
 * One reload of a cluster app while a load generator runs (issues 4, 7, 18):
 * failed requests, latency and throughput during the reload, its duration.
 * Keep-alive load and a new connection per request are measured apart: they
 * are two populations (a keep-alive p99 is a few ms, a new-connection one
 * several times that), and one median over runs of both lands on whichever
 * side the middle run happens to fall.
 */
import { answers, load, p99 } from './load.js'
import type { Contender } from './contender.js'
import { freePort, interleave, paired, type Figure } from './lib.js'
import { fileURLToPath } from 'node:url'

const app = fileURLToPath(new URL('./fixtures/hello-http.cjs', import.meta.url))

/** The reload starts this long after the load. */
const LEAD = 500
/** The fixed window from the reload's start (less 50 ms of slack, for the load's clock being read a little later), the same for both supervisors. */
const WINDOW = 1500

function percentile(values: number[], p: number): number {
  if (values.length === 0) return 0
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!
}

export async function reloadUnderLoad(sides: Contender[], runsPerMode: number, quick: boolean): Promise<Figure[]> {
  const figures: Figure[] = []
  for (const n of [2, 4]) {
    for (const mode of ['keepalive', 'new'] as const) {
      const results = await interleave(sides, runsPerMode, async (side) => {
        const port = await freePort()
        await side.start({ name: 'reload', script: app, mode: 'cluster', instances: n, env: { PORT: port } })
        await answers(port)
        // The reload starts LEAD ms after the load generator's clock (not after its spawn: node's boot comes first, and
        // on a loaded machine it varies by tens of ms, which would shift the window off the reload's start).
        let started!: () => void
        const clockStarted = new Promise<void>((resolve) => (started = resolve))
        const running = load(port, quick ? 2000 : 3500, 8, mode, () => started())
        await Promise.race([clockStarted, running]) // a load generator that fails to start rejects here
        const t = performance.now()
        await new Promise((resolve) => setTimeout(resolve, LEAD))
        const t0 = performance.now() - t
        await side.reload('reload')
        const duration = performance.now() - t - t0
        const result = await running
        const during = result.samples.filter(([at]) => at >= t0 - 50 && at <= t0 + 50 + duration).map(([, ms]) => ms)
        // A shorter reload has a shorter window above, so fewer calm requests dilute its worst ones: this one is the same for both.
        const fixed = result.samples.filter(([at]) => at >= t0 - 50 && at < t0 - 50 + WINDOW).map(([, ms]) => ms)
        await side.delete('reload')
        return {
          total: result.ok + result.failed,
          failed: result.failed,
          p99: p99(during),
          p50fixed: percentile(fixed, 0.5),
          p99fixed: p99(fixed),
          maxfixed: Math.max(0, ...fixed),
          rpsfixed: (fixed.length / WINDOW) * 1000,
          duration,
        }
      })
      const label = `cluster ×${n}, ${mode === 'keepalive' ? 'keep-alive' : 'new connections'}`
      figures.push(
        paired(results, 'failed', 'reload', `${label}: failed requests`, 'requests', { target: '0' }),
        paired(results, 'p99', 'reload', `${label}: p99 latency during the reload`, 'ms'),
        paired(results, 'p50fixed', 'reload', `${label}: p50 over the 1.5 s from the reload's start`, 'ms'),
        paired(results, 'p99fixed', 'reload', `${label}: p99 over the 1.5 s from the reload's start`, 'ms', { target: '≤ PM2' }),
        paired(results, 'maxfixed', 'reload', `${label}: slowest request over those 1.5 s`, 'ms'),
        paired(results, 'rpsfixed', 'reload', `${label}: requests/s started in those 1.5 s`, 'req/s'),
        paired(results, 'duration', 'reload', `${label}: reload duration`, 'ms'),
      )
    }
  }
  return figures
}
