/**
 * The lifecycle of an app, the same test for each mode: nothing here looks
 * at the mode beyond putting it in the spec, which proves that callers never
 * branch on it. Mode-specific behaviour (shared ports, drains, process
 * groups) is tested in test/cluster/ and test/core/fork-*.test.ts.
 */
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ClosedError, CrashLoopError, NotFoundError, ReadyTimeoutError, type AppSpec, type Mode } from '../../src/index.js'
import { fixture, isAlive, nextEvent, recordEvents, supervisor, tempDir } from '../helpers.js'

const modes: Mode[] = ['fork', 'cluster']

describe.each(modes)('%s mode lifecycle', (mode) => {
  // answers HTTP on a port of its own (fork) or the workers' shared one (cluster); online once spawned or listening
  const web = (name: string, more: Partial<AppSpec> = {}): AppSpec => ({ name, script: fixture('http-server.cjs'), mode, ...more })
  const pidsOf = (infos: { pid: number | null }[]) => infos.map((info) => info.pid)
  const processEvents = (events: ReturnType<typeof recordEvents>) =>
    events.map((event) => event.name).filter((name) => name.startsWith('process:'))

  it('starts, restarts, stops and deletes', async () => {
    const sup = supervisor()
    const started = await sup.start(web('app', { instances: 2 }))
    expect(started.map((info) => [info.instance, info.status, info.mode])).toEqual([
      [0, 'online', mode],
      [1, 'online', mode],
    ])
    for (const info of started) expect(isAlive(info.pid!)).toBe(true)

    const restarted = await sup.restart('app')
    expect(restarted.map((info) => [info.id, info.status, info.restarts])).toEqual(started.map((info) => [info.id, 'online', 1]))
    for (const [i, info] of restarted.entries()) {
      expect(info.pid).not.toBe(started[i]!.pid)
      expect(isAlive(started[i]!.pid!)).toBe(false)
    }

    const events = recordEvents(sup)
    const stopped = await sup.stop('app')
    expect(stopped.map((info) => [info.status, info.pid])).toEqual([
      ['stopped', null],
      ['stopped', null],
    ])
    for (const pid of pidsOf(restarted)) expect(isAlive(pid!)).toBe(false)
    const exits = events.filter((event) => event.name === 'process:exit').map((event) => [event.payload.reason, event.payload.forced])
    expect(exits).toEqual([
      ['stop', false],
      ['stop', false],
    ])
    expect(await sup.stop('app')).toHaveLength(2) // idempotent
    expect(sup.list().map((info) => info.status)).toEqual(['stopped', 'stopped'])

    const again = await sup.restart('app')
    expect(again.map((info) => info.status)).toEqual(['online', 'online'])
    await sup.delete('app')
    expect(sup.list()).toEqual([])
    for (const pid of pidsOf(again)) expect(isAlive(pid!)).toBe(false)
    expect(() => sup.describe('app')).toThrow(NotFoundError)
  })

  it('restarts a crashed process and reports the crash', async () => {
    const sup = supervisor()
    const [info] = await sup.start(web('app'))
    const exit = nextEvent(sup, 'process:exit')
    const restart = nextEvent(sup, 'process:restart')
    const online = nextEvent(sup, 'process:online')
    process.kill(info!.pid!, 'SIGKILL')
    expect(await exit).toMatchObject({ reason: 'crash', signal: 'SIGKILL', code: null, forced: false })
    expect(await restart).toMatchObject({ delay: 0, attempt: 1, reason: 'crash' })
    const back = await online
    expect(back.process).toMatchObject({ id: info!.id, status: 'online', restarts: 1 })
    expect(back.process.pid).not.toBe(info!.pid)
  })

  it('ends a crash loop errored after maxRestarts, and start() rejects with it', async () => {
    const sup = supervisor()
    const events = recordEvents(sup)
    const failure = sup.start({ name: 'crasher', script: fixture('exit-with.cjs'), args: ['3'], mode, maxRestarts: 2, waitReady: true })
    await expect(failure).rejects.toBeInstanceOf(CrashLoopError)
    await expect(failure).rejects.toMatchObject({ code: 'TEND_ERR_CRASH_LOOP', exitCode: 3, restarts: 2 })
    expect(sup.list()[0]).toMatchObject({ status: 'errored', restarts: 2, unstableRestarts: 2, pid: null, exitCode: 3 })
    const run = ['process:spawn', 'process:exit']
    expect(processEvents(events)).toEqual([...run, 'process:restart', ...run, 'process:restart', ...run, 'process:errored'])
    expect(events.filter((event) => event.name === 'process:exit').map((event) => event.payload.reason)).toEqual([
      'crash',
      'crash',
      'crash',
    ])
  })

  it('reloads one instance at a time, each replacement online before its old process exits', async () => {
    const sup = supervisor()
    const before = await sup.start(web('app', { instances: 2 }))
    const events = recordEvents(sup)
    const after = await sup.reload('app')
    expect(after.map((info) => [info.id, info.status, info.restarts])).toEqual(before.map((info) => [info.id, 'online', 1]))
    for (const [i, info] of after.entries()) {
      const old = before[i]!
      expect(info.pid).not.toBe(old.pid)
      expect(isAlive(old.pid!)).toBe(false)
      const pid = (event: (typeof events)[number]) => (event.payload.process as { pid: number }).pid
      const online = events.findIndex((event) => event.name === 'process:online' && pid(event) === info.pid)
      const exit = events.findIndex((event) => event.name === 'process:exit' && pid(event) === old.pid)
      expect(online).toBeGreaterThanOrEqual(0)
      expect(exit).toBeGreaterThan(online)
      expect(events[exit]!.payload).toMatchObject({ reason: 'reload', forced: false })
    }
    const spawned = events.filter((event) => event.name === 'process:spawn')
    expect(spawned.map((event) => (event.payload.process as { instance: number }).instance)).toEqual([0, 1])
  })

  it('rolls a reload back when the replacement does not get ready: the old process keeps running', async () => {
    const sup = supervisor()
    const flag = join(tempDir(), 'flag')
    // listenTimeout: room for a cluster worker to boot on a loaded machine; the replacement misses it by never sending 'ready'
    const spec = { name: 'app', script: fixture('ready-unless-flag.cjs'), args: [flag], mode, waitReady: true, listenTimeout: 4000 }
    const [before] = await sup.start(spec)
    writeFileSync(flag, 'never')
    await expect(sup.reload('app')).rejects.toBeInstanceOf(ReadyTimeoutError)
    expect(sup.describe('app')[0]).toMatchObject({ pid: before!.pid, status: 'online', restarts: 0 })
    expect(isAlive(before!.pid!)).toBe(true)
    writeFileSync(flag, 'ok')
    const [reloaded] = await sup.reload('app')
    expect(reloaded).toMatchObject({ status: 'online', restarts: 1 })
    expect(reloaded!.pid).not.toBe(before!.pid)
  })

  it('scales up to the lowest free instance indexes and down from the highest', async () => {
    const sup = supervisor()
    await sup.start(web('app'))
    const up = await sup.scale('app', 3)
    expect(up.map((info) => [info.instance, info.status])).toEqual([
      [0, 'online'],
      [1, 'online'],
      [2, 'online'],
    ])
    const events = recordEvents(sup)
    const down = await sup.scale('app', '-2')
    expect(down.map((info) => info.instance)).toEqual([0])
    for (const info of up.slice(1)) expect(isAlive(info.pid!)).toBe(false)
    expect(events.filter((event) => event.name === 'process:exit').map((event) => event.payload.reason)).toEqual(['scale', 'scale'])
    expect(sup.describe('app')[0]!.spec.instances).toBe(1)
    const [again] = await sup.scale('app', '+1').then((infos) => infos.slice(1))
    expect(again!.instance).toBe(1)
  })

  it('close() stops everything, cancels a pending restart, is idempotent and refuses new work', async () => {
    const sup = supervisor()
    const running = await sup.start(web('app', { instances: 2 }))
    const [waiting] = await sup.start(web('later', { restartDelay: 3_600_000 }))
    const restart = nextEvent(sup, 'process:restart')
    process.kill(waiting!.pid!, 'SIGKILL')
    await restart
    const first = sup.close()
    expect(sup.close()).toBe(first)
    await first
    for (const info of running) expect(isAlive(info.pid!)).toBe(false)
    expect(sup.list().map((info) => [info.status, info.nextRestartAt])).toEqual([
      ['stopped', null],
      ['stopped', null],
      ['stopped', null],
    ])
    await expect(sup.start(web('x'))).rejects.toBeInstanceOf(ClosedError)
    await expect(sup.restart('app')).rejects.toMatchObject({ code: 'TEND_ERR_CLOSED' })
  })
})
