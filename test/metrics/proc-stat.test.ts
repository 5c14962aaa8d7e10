/** The Linux /proc reader: CPU since the last pass, RSS, pids that are gone, a reused pid. */
import { spawn } from 'node:child_process'
import { describe, expect, it } from 'vitest'
import { ProcStatReader } from '../../src/metrics/proc-stat.js'
import { BUDGET_FACTOR, MetricsSampler } from '../../src/metrics/sampler.js'
import { expectGoneAfterTest, onCleanup, until } from '../helpers.js'

/** A child that spins one core until killed. */
function spinner(): number {
  const child = spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' })
  onCleanup(() => void child.kill('SIGKILL'))
  expectGoneAfterTest(child.pid!)
  return child.pid!
}

describe.runIf(process.platform === 'linux')('ProcStatReader', () => {
  it('reads CPU and memory of many pids in one pass and leaves out the ones that are gone', async () => {
    const reader = new ProcStatReader()
    const busy = spinner()
    const gone = 2 ** 22 + 7 // above pid_max's default ceiling: never a live pid
    const first = await reader.read([process.pid, busy, gone])
    expect([...first.keys()].sort()).toEqual([process.pid, busy].sort())
    expect(first.get(process.pid)!.memory).toBeGreaterThan(10 * 1024 * 1024)
    // CPU since the previous pass: the spinner uses most of a core, even on a loaded machine
    let spun = 0
    await until(
      () => {
        void reader.read([busy]).then((usage) => (spun = usage.get(busy)?.cpu ?? 0))
        return spun > 20
      },
      { timeout: 30_000, message: 'the spinner to show CPU use' },
    )
    expect(spun).toBeLessThanOrEqual(200)
    expect(reader.lastPassMs).toBeGreaterThanOrEqual(0)
  })

  it('slices a large pass so the event loop runs between slices', async () => {
    const reader = new ProcStatReader()
    let turns = 0
    const ticking = setInterval(() => turns++, 0)
    onCleanup(() => clearInterval(ticking))
    const usage = await reader.read(Array.from({ length: 3000 }, () => process.pid))
    expect(usage.get(process.pid)).toBeDefined()
    expect(turns).toBeGreaterThan(0)
  })
})

describe.runIf(process.platform === 'linux')('sampling budget', () => {
  it('waits at least BUDGET_FACTOR times what the last tick spent reading, and never less than the interval', async () => {
    const fleet = Array.from({ length: 3000 }, (_, id) => ({ id, pid: process.pid, cpu: 0, memory: 0 }))
    const sampler = new MetricsSampler({ interval: 1, processes: () => fleet, onSample: () => {} })
    expect(sampler.nextDelay).toBe(1)
    await sampler.sample()
    // 3,000 open-read-closes take over 0.5 µs each on any machine: the next tick waits ≥ 3000 × 0.5 µs × 200 = 300 ms
    expect(sampler.nextDelay).toBeGreaterThan(300)
    expect(BUDGET_FACTOR).toBe(200)
    const small = new MetricsSampler({ interval: 60_000, processes: () => fleet.slice(0, 1), onSample: () => {} })
    await small.sample()
    expect(small.nextDelay).toBe(60_000)
  })
})
