import pRetry from 'p-retry'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { backoffDelay, DEFAULT_BACKOFF, type BackoffOptions } from '../../src/restart/backoff.js'

afterEach(() => {
  vi.useRealTimers()
  vi.restoreAllMocks()
})

/** The waits p-retry itself schedules between `failures` failed attempts (read off its timers). */
async function pRetryWaits(options: BackoffOptions, failures: number): Promise<number[]> {
  vi.useFakeTimers()
  const waits: number[] = []
  const realSetTimeout = globalThis.setTimeout
  vi.spyOn(globalThis, 'setTimeout').mockImplementation((fn: () => void, ms?: number) => {
    waits.push(ms ?? 0)
    return realSetTimeout(fn, ms)
  })
  const done = pRetry(
    (attempt) => {
      if (attempt <= failures) throw new Error(`attempt ${attempt} fails`)
      return 'ok'
    },
    {
      retries: failures,
      minTimeout: options.initialDelay,
      factor: options.factor,
      maxTimeout: options.maxDelay,
      randomize: options.jitter,
    },
  )
  await vi.runAllTimersAsync()
  await expect(done).resolves.toBe('ok')
  return waits
}

describe('backoffDelay', () => {
  it.each<[string, BackoffOptions, number]>([
    ['the defaults', DEFAULT_BACKOFF, 16],
    ['factor 2 with a low cap', { ...DEFAULT_BACKOFF, initialDelay: 100, factor: 2, maxDelay: 1000 }, 8],
    ['a fractional factor', { ...DEFAULT_BACKOFF, initialDelay: 7, factor: 1.3, maxDelay: 10_000 }, 12],
    ['factor 1 (a fixed delay)', { ...DEFAULT_BACKOFF, initialDelay: 250, factor: 1, maxDelay: 1000 }, 4],
  ])('matches the waits p-retry schedules itself: %s', async (_name, options, failures) => {
    const ours = Array.from({ length: failures }, (_, i) => backoffDelay(i + 1, options))
    expect(await pRetryWaits(options, failures)).toEqual(ours)
  })

  it('grows by factor from initialDelay and stops at maxDelay (the defaults)', () => {
    const delays = Array.from({ length: 14 }, (_, i) => backoffDelay(i + 1, DEFAULT_BACKOFF))
    expect(delays).toEqual([100, 150, 225, 338, 506, 759, 1139, 1709, 2563, 3844, 5767, 8650, 12975, 15000])
  })

  it('with jitter, spreads each delay over [delay, 2 × delay), capped', () => {
    const options = { ...DEFAULT_BACKOFF, jitter: true }
    expect(backoffDelay(1, options, () => 0)).toBe(100)
    expect(backoffDelay(1, options, () => 0.999)).toBe(200)
    expect(backoffDelay(30, options, () => 0.5)).toBe(15_000)
  })

  it('treats attempt 0 as the first attempt', () => {
    expect(backoffDelay(0, DEFAULT_BACKOFF)).toBe(100)
  })
})
