import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { CrashLoopError } from '../../src/index.js'
import { fixture, nextEvent, recordEvents, supervisor, tempDir } from '../helpers.js'

/** Waits from each exit to the next spawn of the same process, measured from event timestamps. */
function gaps(events: ReturnType<typeof recordEvents>): number[] {
  const out: number[] = []
  let exitAt: number | null = null
  for (const { name, payload } of events) {
    if (name === 'process:exit') exitAt = payload.at as number
    if (name === 'process:spawn' && exitAt !== null) {
      out.push((payload.at as number) - exitAt)
      exitAt = null
    }
  }
  return out
}

// Timers never fire early by more than a ms or two; a busy shared machine may make them late by a lot.
const EARLY = 20
const LATE = 3000

describe('backoff with real processes', () => {
  it('an app that exits at once goes errored after maxRestarts, its delays growing by factor up to maxDelay', async () => {
    const sup = supervisor()
    const events = recordEvents(sup)
    const errored = nextEvent(sup, 'process:errored', () => true, 40_000)
    await sup.start({
      name: 'crasher',
      script: fixture('exit-with.cjs'),
      args: ['1'],
      maxRestarts: 5,
      // Wide, so a slow start on a loaded machine still counts as unstable.
      minUptime: 5000,
      backoff: { initialDelay: 150, factor: 3, maxDelay: 1500 },
    })
    const { error } = await errored
    expect(error).toBeInstanceOf(CrashLoopError)
    expect(error.code).toBe('TEND_ERR_CRASH_LOOP')

    const restarts = events.filter((event) => event.name === 'process:restart').map((event) => event.payload)
    expect(restarts.map(({ delay, attempt, reason }) => ({ delay, attempt, reason }))).toEqual([
      { delay: 150, attempt: 1, reason: 'crash' },
      { delay: 450, attempt: 2, reason: 'crash' },
      { delay: 1350, attempt: 3, reason: 'crash' },
      { delay: 1500, attempt: 4, reason: 'crash' },
      { delay: 1500, attempt: 5, reason: 'crash' },
    ])
    const measured = gaps(events)
    expect(measured).toHaveLength(5)
    restarts.forEach(({ delay }, i) => {
      expect(measured[i]).toBeGreaterThanOrEqual((delay as number) - EARLY)
      expect(measured[i]).toBeLessThan((delay as number) + LATE)
    })
    expect(sup.list()[0]).toMatchObject({ status: 'errored', restarts: 5, unstableRestarts: 5, nextRestartAt: null })
  })

  it('while waiting, ProcessInfo says when the next start is due', async () => {
    const sup = supervisor()
    const restart = nextEvent(sup, 'process:restart')
    await sup.start({ name: 'waits', script: fixture('exit-with.cjs'), args: ['1'], backoff: { initialDelay: '1m', maxDelay: '1m' } })
    const scheduled = await restart
    expect(scheduled).toMatchObject({ delay: 60_000, attempt: 1, reason: 'crash' })
    const [info] = sup.describe('waits')
    expect(info!.status).toBe('waiting-restart')
    expect(info!.nextRestartAt).toBeGreaterThanOrEqual(scheduled.at + 60_000 - EARLY)
    expect(info!.nextRestartAt).toBeLessThanOrEqual(scheduled.at + 60_000 + LATE)

    // A stop during the pending restart leaves it stopped; nothing relaunches it.
    const [stopped] = await sup.stop('waits')
    expect(stopped).toMatchObject({ status: 'stopped', nextRestartAt: null, pid: null })
  })

  it('an app that ran longer than resetAfter restarts after initialDelay again', async () => {
    const sup = supervisor()
    const events = recordEvents(sup)
    const state = join(tempDir(), 'runs')
    // Two quick crashes (attempts 1 and 2), then a run of 4000 ms (> resetAfter) that crashes, then it stays up.
    const settled = nextEvent(sup, 'process:online', (event) => event.process.restarts === 3, 40_000)
    await sup.start({
      name: 'resets',
      script: fixture('crash-then-run.cjs'),
      args: [state, '2', '4000'],
      minUptime: 500,
      backoff: { initialDelay: 100, factor: 10, maxDelay: 20_000, resetAfter: 3000 },
    })
    await settled
    const restarts = events.filter((event) => event.name === 'process:restart').map((event) => event.payload)
    expect(restarts.map(({ delay, attempt }) => ({ delay, attempt }))).toEqual([
      { delay: 100, attempt: 1 },
      { delay: 1000, attempt: 2 },
      { delay: 100, attempt: 1 },
    ])
    const measured = gaps(events)
    expect(measured[2]).toBeGreaterThanOrEqual(100 - EARLY)
    expect(measured[2]).toBeLessThan(100 + LATE)
    expect(sup.list()[0]).toMatchObject({ status: 'online', restarts: 3, unstableRestarts: 0 })
  })

  it('an exit code in stopExitCodes is not restarted, backoff or not', async () => {
    const sup = supervisor()
    const events = recordEvents(sup)
    const stopped = nextEvent(sup, 'process:stopped')
    await sup.start({ name: 'done', script: fixture('exit-with.cjs'), args: ['3'], stopExitCodes: [3], backoff: true })
    await stopped
    expect(sup.list()[0]).toMatchObject({ status: 'stopped', exitCode: 3, restarts: 0 })
    expect(events.map((event) => event.name)).not.toContain('process:restart')
    expect(events.find((event) => event.name === 'process:exit')?.payload).toMatchObject({ code: 3, reason: 'exit' })
  })

  it('restart() clears the history: the backoff starts again at initialDelay', async () => {
    const sup = supervisor()
    const third = nextEvent(sup, 'process:restart', (event) => event.attempt === 3, 30_000)
    await sup.start({ name: 'again', script: fixture('exit-with.cjs'), args: ['1'], backoff: { initialDelay: 100, factor: 2 } })
    expect(await third).toMatchObject({ delay: 400, attempt: 3 })
    const first = nextEvent(sup, 'process:restart')
    await sup.restart('again')
    expect(await first).toMatchObject({ delay: 100, attempt: 1 })
    expect(sup.list()[0]!.unstableRestarts).toBe(1)
  })
})
