/**
 * Crash recovery (issue 7, scenario 2): how long a fork app is gone after a
 * SIGKILL until it answers HTTP again, and how many requests fail when one
 * worker of a 2-worker cluster is SIGKILLed under load.
 */
import { fileURLToPath } from 'node:url'
import { freePort } from './lib.js'
import { answers, load } from './load.js'
import { withContenders, type Contender, type ScenarioOptions } from './contender.js'
import { interleave, paired, sleep, type Figure } from './lib.js'

const app = fileURLToPath(new URL('./fixtures/hello-http.cjs', import.meta.url))

export async function runCrash({ quick, contenders }: ScenarioOptions): Promise<Figure[]> {
  const runs = quick ? 3 : 5
  return withContenders(contenders, async (sides) => [
    ...(await forkCrashToServing(sides, runs)),
    ...(await clusterCrashUnderLoad(sides, runs, quick)),
  ])
}

async function pidsOf(side: Contender, name: string): Promise<number[]> {
  return (await side.list()).flatMap((p) => (p.name === name && p.pid !== null ? [p.pid] : []))
}

/** SIGKILL to a fork app's process until its port answers again. */
async function forkCrashToServing(sides: Contender[], runs: number): Promise<Figure[]> {
  const results = await interleave(sides, runs, async (side) => {
    const port = await freePort()
    await side.start({ name: 'crash', script: app, env: { PORT: port } })
    await answers(port)
    const [pid] = await pidsOf(side, 'crash')
    const started = performance.now()
    process.kill(pid!, 'SIGKILL')
    await answers(port)
    const ms = performance.now() - started
    await side.delete('crash')
    return { ms }
  })
  return [paired(results, 'ms', 'crash', 'fork ×1: SIGKILL until it answers HTTP again', 'ms')]
}

/** One of two cluster workers SIGKILLed in the middle of a load run: the requests that fail. */
async function clusterCrashUnderLoad(sides: Contender[], runs: number, quick: boolean): Promise<Figure[]> {
  const results = await interleave(sides, runs, async (side, i) => {
    const port = await freePort()
    await side.start({ name: 'crash2', script: app, mode: 'cluster', instances: 2, env: { PORT: port } })
    await answers(port)
    const running = load(port, quick ? 2000 : 3000, 8, i % 2 === 0 ? 'keepalive' : 'new')
    await sleep(500)
    const [pid] = await pidsOf(side, 'crash2')
    process.kill(pid!, 'SIGKILL')
    const result = await running
    await side.delete('crash2')
    return { total: result.ok + result.failed, failed: result.failed }
  })
  return [
    paired(results, 'total', 'crash', 'cluster ×2, one worker SIGKILLed under load: requests', 'requests'),
    paired(results, 'failed', 'crash', 'cluster ×2, one worker SIGKILLed under load: failed requests', 'requests', {
      target: 'only those in flight on the killed worker (≤ 8, the concurrency)',
    }),
  ]
}
