/**
 * Control plane (issue 7, scenario 7): list() with 50 processes and
 * restart() of one app. tend's in-process list() is a synchronous snapshot;
 * PM2's goes to its daemon over its socket, as every PM2 call does. The
 * RPC side of tend (list() over tend/rpc to a daemon) is bench/rpc.ts.
 */
import { fileURLToPath } from 'node:url'
import { withContenders, type ScenarioOptions } from './contender.js'
import { interleave, paired, type Figure } from './lib.js'

const app = fileURLToPath(new URL('./fixtures/idle-app.cjs', import.meta.url))

export async function runControl({ quick, contenders }: ScenarioOptions): Promise<Figure[]> {
  const calls = quick ? 100 : 400
  const restarts = quick ? 10 : 30
  return withContenders(contenders, async (sides) => {
    for (const side of sides) await side.start({ name: 'fifty', script: '/bin/sleep', binary: true, args: ['3600'], instances: 50 })
    // warm up both sides (JIT, pidusage's file handles, PM2's socket)
    for (const side of sides) for (let i = 0; i < 20; i++) await side.list()
    const lists = await interleave(sides, calls, async (side) => {
      const t = performance.now()
      const listed = await side.list()
      const ms = performance.now() - t
      if (listed.length !== 50) throw new Error(`${side.label}: list() returned ${listed.length} processes, not 50`)
      return { ms }
    })
    for (const side of sides) await side.delete('fifty')

    for (const side of sides) await side.start({ name: 'one', script: app })
    const restartTimes = await interleave(sides, restarts, async (side) => {
      const t = performance.now()
      await side.restart('one')
      return { ms: performance.now() - t }
    })
    for (const side of sides) await side.delete('one')
    return [
      paired(lists, 'ms', 'control', 'list() with 50 processes (tend in process)', 'ms'),
      paired(restartTimes, 'ms', 'control', 'restart() of one fork app until it resolves', 'ms', { target: '≤ 100 ms (PM2 7: 122 ms)' }),
    ]
  })
}
