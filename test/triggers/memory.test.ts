import { describe, expect, it } from 'vitest'
import { MemoryTrigger, type MemoryCandidate } from '../../src/triggers/memory.js'
import { fixture, nextEvent, recordEvents, supervisor } from '../helpers.js'

describe('maxMemoryRestart', () => {
  it('restarts a process over its limit with reason memory, within a sample or two', async () => {
    const sup = supervisor({ metricsInterval: 200 })
    const events = recordEvents(sup)
    const exit = nextEvent(sup, 'process:exit')
    const [first] = await sup.start({ name: 'hog', script: fixture('memory-hog.cjs'), args: ['120'], maxMemoryRestart: '80M' })
    expect(await exit).toMatchObject({ reason: 'memory', process: { id: first!.id } })
    const online = await nextEvent(sup, 'process:online')
    expect(online.process.pid).not.toBe(first!.pid)
    expect(online.process.restarts).toBe(1)
    // The exit was asked for: no crash, no scheduled restart.
    expect(events.map((event) => event.name)).not.toContain('process:restart')
  })

  it('leaves a process under its limit alone', async () => {
    const sup = supervisor({ metricsInterval: 50 })
    const events = recordEvents(sup)
    await sup.start([
      { name: 'small', script: fixture('long-running.cjs'), maxMemoryRestart: '1G' },
      { name: 'hog', script: fixture('memory-hog.cjs'), args: ['120'], maxMemoryRestart: '80M' },
    ])
    // The hog's memory restart shows samples were taken and checked; the small one saw the same samples.
    await nextEvent(sup, 'process:exit', (event) => event.reason === 'memory')
    await nextEvent(sup, 'metrics')
    expect(
      events.filter((event) => event.name === 'process:exit').map((event) => (event.payload.process as { name: string }).name),
    ).toEqual(['hog'])
  })

  it('asks once per process over its limit until that restart is carried out', async () => {
    const asked: MemoryCandidate[] = []
    let carriedOut!: () => void
    const trigger = new MemoryTrigger<MemoryCandidate>((process) => {
      asked.push(process)
      return new Promise((resolve) => (carriedOut = resolve))
    })
    const over = { status: 'online', memory: 200, pid: 1, spec: { maxMemoryRestart: 100 } } as const
    const under = { ...over, memory: 50 }
    const stopped = { ...over, status: 'stopped', pid: null } as const
    const unlimited = { ...over, spec: { maxMemoryRestart: null } }
    trigger.check([over, under, stopped, unlimited])
    trigger.check([over])
    expect(asked).toEqual([over])
    carriedOut()
    await new Promise((resolve) => setImmediate(resolve))
    trigger.check([over])
    expect(asked).toEqual([over, over])
  })
})
