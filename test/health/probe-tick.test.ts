import { describe, expect, it } from 'vitest'
import { untilNextTick } from '../../src/health/probe-runner.js'

describe('probe ticks', () => {
  it.each([
    [1000, 0, 1000],
    [1000, 1, 999],
    [1000, 999.5, 0.5],
    [1000, 12_345, 655],
    [300, 900, 300],
    [300, 1000, 200],
  ])('with interval %d at %d, waits %d (the next multiple of the interval)', (interval, now, wait) => {
    expect(untilNextTick(interval, now)).toBeCloseTo(wait, 6)
  })

  it('lands every probe of one interval on the same instant, whenever each asked', () => {
    const instants = [3, 250.5, 999, 1000.25].map((now) => now + untilNextTick(1000, now))
    expect(instants).toEqual([1000, 1000, 1000, 2000])
  })
})
