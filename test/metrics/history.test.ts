import { describe, expect, it } from 'vitest'
import { MetricsHistory, parseHistoryQuery } from '../../src/metrics/history.js'
import { InvalidArgumentError } from '../../src/errors.js'
import { nextEvent, supervisor } from '../helpers.js'
import { recordHistory } from '../../src/metrics/history.js'

const sample = (at: number, ...processes: [id: number, cpu: number, memory: number][]) => ({
  at,
  processes: processes.map(([id, cpu, memory]) => ({ id, pid: 1000 + id, cpu, memory })),
})

describe('MetricsHistory', () => {
  it('answers one point per tick, a series per process, null where a process was not measured', () => {
    const history = new MetricsHistory()
    history.name(1, 'api')
    history.name(2, 'worker')
    history.record(sample(1000, [1, 10, 100], [2, 1, 50]))
    history.record(sample(2000, [1, 20, 200]))
    history.record(sample(3000, [1, 30, 300], [2, 3, 70]))
    expect(history.query()).toEqual({
      at: [1000, 2000, 3000],
      step: 0,
      series: [
        { id: 1, name: 'api', cpu: [10, 20, 30], memory: [100, 200, 300] },
        { id: 2, name: 'worker', cpu: [1, null, 3], memory: [50, null, 70] },
      ],
    })
    expect(history.query({ since: 2000, ids: [2] })).toEqual({
      at: [2000, 3000],
      step: 0,
      series: [{ id: 2, name: 'worker', cpu: [null, 3], memory: [null, 70] }],
    })
  })

  it('averages samples into buckets so an answer has at most maxPoints per series', () => {
    const history = new MetricsHistory()
    for (let i = 0; i < 100; i++) history.record(sample(i * 1000, [1, i, i * 10]))
    const answer = history.query({ maxPoints: 10 })
    expect(answer.at.length).toBeLessThanOrEqual(10)
    expect(answer.step).toBeGreaterThanOrEqual(10_000)
    // The first bucket holds samples 0..9 (step 10 s): their mean.
    expect(answer.series[0]!.cpu[0]).toBe(4.5)
    expect(answer.series[0]!.memory[0]).toBe(45)
    // A step asked for is honoured.
    expect(history.query({ step: 50_000 }).at).toHaveLength(2)
  })

  it('keeps no more than its window and capacity, and forgets the names of processes no tick mentions', () => {
    const history = new MetricsHistory({ window: 10_000, capacity: 5 })
    history.name(1, 'gone')
    history.name(2, 'stays')
    history.name(3, 'spawned, not yet sampled')
    history.record(sample(0, [1, 1, 1]))
    for (let i = 1; i <= 8; i++) history.record(sample(i * 1000, [2, 1, 1]))
    expect(history.size).toBe(5)
    expect(history.query().at).toEqual([4000, 5000, 6000, 7000, 8000])
    history.record(sample(20_000, [2, 1, 1], [3, 1, 1]))
    expect(history.query().at).toEqual([20_000])
    expect(history.query().series.map((s) => s.name)).toEqual(['stays', 'spawned, not yet sampled'])
  })

  it('keeps the last ten minutes at every tick and merges older ticks into 10 s averages', () => {
    const history = new MetricsHistory()
    history.name(1, 'api')
    history.name(2, 'short-lived')
    // 20 minutes of 1 s ticks; process 2 only runs in the first 5 s
    for (let s = 0; s < 1200; s++) {
      const processes: [number, number, number][] = [[1, s % 10, 1000 * (s % 10)]]
      if (s < 5) processes.push([2, 50, 500])
      history.record(sample(s * 1000, ...processes))
    }
    // ticks before 599 s (ten minutes before the last) are merged per 10 s, once a step is wholly older:
    // 0–9 s … 580–589 s make 59 ticks; 590 s on (the step that reaches into the last ten minutes) stay
    expect(history.size).toBe(59 + 610)
    const answer = history.query({ maxPoints: 1000 })
    expect(answer.at.slice(0, 2)).toEqual([9000, 19_000])
    expect(answer.at.slice(-2)).toEqual([1_198_000, 1_199_000])
    const api = answer.series.find((s) => s.id === 1)!
    expect(api.cpu.slice(0, 2)).toEqual([4.5, 4.5]) // the mean of 0..9
    expect(api.memory[0]).toBe(4500)
    expect(api.cpu.at(-1)).toBe(9)
    // process 2's figures survive the merge under its name, at its own average
    const short = answer.series.find((s) => s.id === 2)!
    expect(short).toMatchObject({ name: 'short-lived', cpu: [50, ...new Array<null>(668).fill(null)] })
    expect(short.memory[0]).toBe(500)
    // a chart of the hour (360 points) reads the same shape as before
    expect(history.query().at.length).toBeLessThanOrEqual(360)
  })

  it('refuses a malformed query with a typed error', () => {
    for (const bad of [5, 'x', [], { since: -1 }, { step: 'a' }, { ids: [1.5] }, { ids: 'all' }]) {
      expect(() => parseHistoryQuery(bad)).toThrow(InvalidArgumentError)
    }
    expect(parseHistoryQuery(undefined)).toEqual({})
    expect(parseHistoryQuery({ since: 5, ids: [1] })).toMatchObject({ since: 5, ids: [1] })
  })

  it('records a real Supervisor’s samples with the app names', async () => {
    const sup = supervisor({ metricsInterval: 100 })
    const recorded = recordHistory(sup)
    const { history } = recorded
    await sup.start({ name: 'sleeper', script: '/bin/sleep', interpreter: 'none', args: ['60'] })
    await nextEvent(sup, 'metrics')
    await nextEvent(sup, 'metrics')
    recorded.stop()
    const answer = history.query()
    expect(answer.series).toHaveLength(1)
    expect(answer.series[0]).toMatchObject({ name: 'sleeper' })
    expect(answer.series[0]!.memory.every((value) => value !== null && value > 0)).toBe(true)
  })
})
