import { describe, expect, it } from 'vitest'
import { chaos } from '../../bench/chaos.js'

describe('chaos under load (short form; `npm run chaos` runs a minute)', () => {
  it('ends with every instance online, list() matching the real processes, and no operation hung', async () => {
    const result = await chaos({ seconds: 8, seed: 11 })
    expect(result.problems).toEqual([])
    expect(result.hung).toEqual([])
    expect(result.kills + result.stops).toBeGreaterThan(0)
    expect(result.requests).toBeGreaterThan(result.failed)
  }, 180_000)
})
