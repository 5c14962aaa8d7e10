import { describe, expect, it } from 'vitest'
import { fixture, isAlive, nextEvent, supervisor, waitForLine } from '../helpers.js'

describe('a log file that stops taking writes', () => {
  it('is reported as logfile:error once, and neither the process nor the supervisor stops', async () => {
    const sup = supervisor()
    const errors: { path: string; error: { code?: string } }[] = []
    sup.on('logfile:error', (event) => errors.push(event))
    const first = nextEvent(sup, 'logfile:error')
    // /dev/full opens fine and fails every write with ENOSPC: a full disk
    const [info] = await sup.start({ name: 'full', script: fixture('ticker.cjs'), outFile: '/dev/full', errorFile: false })
    expect(await first).toMatchObject({ app: 'full', path: '/dev/full', error: { code: 'ENOSPC' } })
    await waitForLine(sup, 'full', /^tick 10$/)
    expect(errors).toHaveLength(1)
    expect(sup.list()[0]).toMatchObject({ status: 'online', pid: info!.pid, restarts: 0 })
    expect(isAlive(info!.pid!)).toBe(true)
    // the supervisor carries on with other work
    const [other] = await sup.start({ name: 'other', script: fixture('long-running.cjs') })
    expect(other!.status).toBe('online')
  })
})
