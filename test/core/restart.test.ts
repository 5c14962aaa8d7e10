import { describe, expect, it } from 'vitest'
import { CrashLoopError, ExitedError } from '../../src/index.js'
import { fixture, isAlive, nextEvent, recordEvents, supervisor } from '../helpers.js'

describe('restarts on unexpected exits', () => {
  it('ends a crash loop errored after maxRestarts, with the events in order', async () => {
    const sup = supervisor()
    const events = recordEvents(sup)
    // In fork mode a process is online once spawned, so start() resolves; the loop shows in events.
    const errored = nextEvent(sup, 'process:errored')
    await sup.start({ name: 'crasher', script: fixture('exit-with.cjs'), args: ['3'], maxRestarts: 3 })
    const { error } = await errored
    expect(error).toBeInstanceOf(CrashLoopError)
    expect(error).toMatchObject({ code: 'TEND_ERR_CRASH_LOOP', exitCode: 3, restarts: 3 })
    const [info] = sup.list()
    expect(info).toMatchObject({ status: 'errored', restarts: 3, unstableRestarts: 3, pid: null, exitCode: 3 })

    const lifecycle = events.map((event) => event.name).filter((name) => name.startsWith('process:'))
    const run = ['process:spawn', 'process:online', 'process:exit']
    expect(lifecycle).toEqual([...run, 'process:restart', ...run, 'process:restart', ...run, 'process:restart', ...run, 'process:errored'])
    const exits = events.filter((event) => event.name === 'process:exit').map((event) => event.payload.reason)
    expect(exits).toEqual(['crash', 'crash', 'crash', 'crash'])
    const attempts = events.filter((event) => event.name === 'process:restart').map((event) => event.payload.attempt)
    expect(attempts).toEqual([1, 2, 3])

    // restart() clears the history and tries again: three more restarts, then errored again.
    const again = nextEvent(sup, 'process:errored')
    await sup.restart('crasher')
    await again
    expect(sup.list()[0]).toMatchObject({ status: 'errored', restarts: 6, unstableRestarts: 3 })
  })

  it('restarts an exit with code 0 (reason exit) unless autorestart is false', async () => {
    const sup = supervisor()
    await sup.start({ name: 'once', script: fixture('exit-with.cjs'), args: ['0', '1500'], autorestart: false })
    const stopped = nextEvent(sup, 'process:stopped')
    const exit = await nextEvent(sup, 'process:exit')
    expect(exit).toMatchObject({ code: 0, reason: 'exit' })
    await stopped
    expect(sup.list()[0]).toMatchObject({ status: 'stopped', restarts: 0 })

    await sup.start({ name: 'again', script: fixture('exit-with.cjs'), args: ['0', '1500'] })
    const restart = await nextEvent(sup, 'process:restart', (event) => event.process.name === 'again')
    expect(restart.reason).toBe('exit')
  })

  it('does not restart an exit code listed in stopExitCodes', async () => {
    const sup = supervisor()
    const stopped = nextEvent(sup, 'process:stopped')
    await sup.start({ name: 'done', script: fixture('exit-with.cjs'), args: ['7'], stopExitCodes: [7] })
    await stopped
    expect(sup.list()[0]).toMatchObject({ status: 'stopped', exitCode: 7, restarts: 0 })
  })

  it('start() with waitReady rejects when the process exits for good before it is ready', async () => {
    const sup = supervisor()
    const failure = sup.start({ name: 'quits', script: fixture('exit-with.cjs'), args: ['7'], stopExitCodes: [7], waitReady: true })
    await expect(failure).rejects.toBeInstanceOf(ExitedError)
    await expect(failure).rejects.toMatchObject({ code: 'TEND_ERR_EXITED', exitCode: 7 })
  })

  it('start() with waitReady rejects with the crash loop when the process never gets ready', async () => {
    const sup = supervisor()
    const failure = sup.start({ name: 'loops', script: fixture('exit-with.cjs'), args: ['2'], maxRestarts: 2, waitReady: true })
    await expect(failure).rejects.toBeInstanceOf(CrashLoopError)
    expect(sup.list()[0]).toMatchObject({ status: 'errored', restarts: 2 })
  })

  it('a stop during a pending restart cancels it', async () => {
    const sup = supervisor()
    const [info] = await sup.start({ name: 'slow', script: fixture('long-running.cjs'), restartDelay: 60_000 })
    const restart = nextEvent(sup, 'process:restart')
    process.kill(info!.pid!, 'SIGKILL')
    const scheduled = await restart
    expect(scheduled.delay).toBe(60_000)
    const [waiting] = sup.describe('slow')
    expect(waiting!.status).toBe('waiting-restart')
    expect(waiting!.nextRestartAt).toBeGreaterThan(Date.now() + 50_000)

    const [stopped] = await sup.stop('slow')
    expect(stopped).toMatchObject({ status: 'stopped', nextRestartAt: null })
    // Nothing relaunches it: restart() is the only way back, and it works at once.
    const [back] = await sup.restart('slow')
    expect(back!.status).toBe('online')
    expect(isAlive(back!.pid!)).toBe(true)
  })

  it('a stop is never reported as a crash', async () => {
    const sup = supervisor()
    await sup.start({ name: 'web', script: fixture('http-server.cjs'), instances: 2 })
    const events = recordEvents(sup)
    await sup.stop('web')
    const exits = events.filter((event) => event.name === 'process:exit').map((event) => event.payload.reason)
    expect(exits).toEqual(['stop', 'stop'])
    expect(events.filter((event) => event.name === 'process:exit').map((event) => event.payload.forced)).toEqual([false, false])
    expect(events.some((event) => event.name === 'process:restart')).toBe(false)
    expect(events.filter((event) => event.name === 'process:stopped')).toHaveLength(2)
  })
})
