import { describe, expect, it } from 'vitest'
import { fixture, nextEvent, recordEvents, supervisor } from '../helpers.js'

describe('cronRestart', () => {
  it('restarts a running process on schedule with reason cron', async () => {
    const sup = supervisor()
    const [first] = await sup.start({ name: 'nightly', script: fixture('long-running.cjs'), cronRestart: '* * * * * *' })
    const exit = await nextEvent(sup, 'process:exit')
    expect(exit).toMatchObject({ reason: 'cron', process: { id: first!.id } })
    const online = await nextEvent(sup, 'process:online')
    expect(online.process.pid).not.toBe(first!.pid)
    const second = await nextEvent(sup, 'process:exit')
    expect(second.reason).toBe('cron')
  })

  it('does not restart a stopped process, and restart() arms the schedule again', async () => {
    const sup = supervisor()
    await sup.start([
      { name: 'stopped', script: fixture('long-running.cjs'), cronRestart: '* * * * * *' },
      { name: 'control', script: fixture('long-running.cjs'), cronRestart: '* * * * * *' },
    ])
    await sup.stop('stopped')
    const events = recordEvents(sup)
    // Two firings of the control's schedule, a second or more apart: the stopped app had the same chances.
    let cronExits = 0
    await nextEvent(sup, 'process:exit', (event) => event.process.name === 'control' && event.reason === 'cron' && ++cronExits === 2)
    const touched = events.filter(
      (event) => event.name.startsWith('process:') && (event.payload.process as { name?: string } | undefined)?.name === 'stopped',
    )
    expect(touched).toEqual([])
    expect(sup.describe('stopped')[0]).toMatchObject({ status: 'stopped', pid: null })

    await sup.restart('stopped')
    expect(await nextEvent(sup, 'process:exit', (event) => event.process.name === 'stopped')).toMatchObject({ reason: 'cron' })
  })
})

describe('cronRestart after other operations', () => {
  it('reload() of a stopped app arms its schedule again', async () => {
    const sup = supervisor()
    await sup.start({ name: 'nightly', script: fixture('long-running.cjs'), cronRestart: '* * * * * *' })
    await sup.stop('nightly')
    await sup.reload('nightly')
    expect(await nextEvent(sup, 'process:exit')).toMatchObject({ reason: 'cron' })
  })

  it('an app started with autostart false gets its schedule once scaled up', async () => {
    const sup = supervisor()
    await sup.start({ name: 'later', script: fixture('long-running.cjs'), cronRestart: '* * * * * *', autostart: false })
    const [added] = (await sup.scale('later', 2)).filter((info) => info.status === 'online')
    expect(await nextEvent(sup, 'process:exit')).toMatchObject({ reason: 'cron', process: { id: added!.id } })
    // The registered, never started instance stays stopped.
    expect(sup.describe('later').find((info) => info.id !== added!.id)).toMatchObject({ status: 'stopped' })
  })
})
