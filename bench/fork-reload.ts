/**
 * Fork-mode reload of portless apps (issue 7, scenario 3): two instances of
 * an idle worker (no port, like a queue consumer) reloaded; how long it takes
 * and the fewest instances the supervisor reports online while it runs.
 */
import { fileURLToPath } from 'node:url'
import { withContenders, type ScenarioOptions } from './contender.js'
import { interleave, paired, sleep, type Figure } from './lib.js'

const worker = fileURLToPath(new URL('./fixtures/idle-app.cjs', import.meta.url))

export async function runForkReload({ quick, contenders }: ScenarioOptions): Promise<Figure[]> {
  const runs = quick ? 3 : 5
  return withContenders(contenders, async (sides) => {
    const results = await interleave(sides, runs, async (side) => {
      await side.start({ name: 'worker', script: worker, instances: 2 })
      let fewest = Number.POSITIVE_INFINITY
      let polling = true
      const poll = (async () => {
        while (polling) {
          const online = (await side.list()).filter((p) => p.name === 'worker' && p.online).length
          fewest = Math.min(fewest, online)
          await sleep(5)
        }
      })()
      const started = performance.now()
      await side.reload('worker')
      const duration = performance.now() - started
      polling = false
      await poll
      await side.delete('worker')
      return { duration, fewest }
    })
    return [
      paired(results, 'duration', 'reload', 'fork ×2 portless: reload duration', 'ms'),
      paired(results, 'fewest', 'reload', 'fork ×2 portless: fewest online during the reload', 'processes', {
        target: '2 (never fewer than the instances)',
      }),
    ]
  })
}
