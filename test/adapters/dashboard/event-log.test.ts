import { describe, expect, it } from 'vitest'
import { EventLog, formatEvent } from '../../../src/adapters/dashboard/event-log.js'

describe('EventLog', () => {
  it('replays what came after an id, and refuses ids it cannot honour (too old, from another run, from the future)', () => {
    const log = new EventLog({ maxEvents: 3 })
    const start = log.lastId
    const ids = [1, 2, 3, 4, 5].map((n) => log.append('log', { n }).id)
    expect(log.size).toBe(3)
    expect(log.since(ids[2]!)!.map((event) => JSON.parse(event.data) as unknown)).toEqual([{ n: 4 }, { n: 5 }])
    expect(log.since(ids[1]!)!.map((event) => event.id)).toEqual(ids.slice(2))
    expect(log.since(ids[4]!)).toEqual([])
    expect(log.since(ids[0]!)).toBeNull() // event 2 is no longer held
    expect(log.since(start)).toBeNull()
    expect(log.since(`ffffffff-2`)).toBeNull()
    expect(log.since(`${log.run}-99`)).toBeNull()
    expect(log.since('garbage')).toBeNull()
  })

  it('is bounded by bytes too, and writes the text/event-stream format', () => {
    const log = new EventLog({ maxBytes: 100 })
    for (let i = 0; i < 50; i++) log.append('log', { line: 'x'.repeat(30) })
    expect(log.size).toBeLessThanOrEqual(3)
    const event = log.append('metrics', { at: 1 })
    expect(formatEvent(event)).toBe(`id: ${event.id}\nevent: metrics\ndata: {"at":1}\n\n`)
  })
})
