import { rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { CrashLoopError, InvalidSpecError } from '../../src/errors.js'
import type { AppSpec, GroupStrategy, ProcessInfo, Supervisor } from '../../src/index.js'
import { fixture, nextEvent, recordEvents, supervisor, tempDir, until } from '../helpers.js'

// db ← api ← worker in the group, and one app outside it
const member = (name: string, dependsOn: string[] = []): AppSpec => ({
  name,
  script: fixture('long-running.cjs'),
  group: 'backend',
  dependsOn,
})
const apps: AppSpec[] = [
  member('db'),
  member('api', ['db']),
  member('worker', ['api']),
  { name: 'outside', script: fixture('long-running.cjs') },
]

const pidsOf = (sup: Supervisor): Record<string, number | null> => Object.fromEntries(sup.list().map((info) => [info.name, info.pid]))

/** Starts the four apps with `strategy`, kills api's process, and waits until the group has settled. */
async function crashApi(strategy: GroupStrategy) {
  const sup = supervisor({ groups: { backend: { strategy, maxRestarts: 5, period: '60s' } } })
  await sup.start(apps)
  const before = pidsOf(sup)
  const events = recordEvents(sup)
  const restarted = nextEvent(sup, 'process:online', (event) => event.process.name === 'api')
  process.kill(before.api!, 'SIGKILL')
  await restarted
  await until(() => sup.groups()[0]!.status === 'running' && sup.list().every((info) => info.status === 'online'), {
    timeout: 30_000,
    message: 'the group to settle',
  })
  return { sup, before, after: pidsOf(sup), events }
}

const named = (events: { name: string; payload: Record<string, unknown> }[], name: string) =>
  events.filter((event) => event.name === name).map((event) => event.payload as { process: ProcessInfo; reason?: string })

describe('supervision strategies', () => {
  it('one_for_all restarts every member in dependency order, and nothing outside the group', async () => {
    const { before, after, events } = await crashApi('one_for_all')
    for (const name of ['db', 'api', 'worker']) expect(after[name], name).not.toBe(before[name])
    expect(after.outside).toBe(before.outside)
    const restart = events.find((event) => event.name === 'group:restart')!.payload
    expect(restart).toMatchObject({ group: 'backend', strategy: 'one_for_all', reason: 'crash', apps: ['db', 'api', 'worker'] })
    expect((restart.trigger as ProcessInfo).pid).toBe(before.api)
    // stopped dependents first, with reason 'group'; api's own exit was the crash
    expect(named(events, 'process:exit').map((exit) => [exit.process.name, exit.reason])).toEqual([
      ['api', 'crash'],
      ['worker', 'group'],
      ['db', 'group'],
    ])
    // started again in dependency order, api once: its own restart was the group's
    expect(named(events, 'process:spawn').map((spawn) => spawn.process.name)).toEqual(['db', 'api', 'worker'])
  })

  it('rest_for_one restarts the failed member and the members after it', async () => {
    const { before, after, events } = await crashApi('rest_for_one')
    expect(after.db).toBe(before.db)
    expect(after.api).not.toBe(before.api)
    expect(after.worker).not.toBe(before.worker)
    expect(after.outside).toBe(before.outside)
    expect(events.find((event) => event.name === 'group:restart')!.payload).toMatchObject({ apps: ['api', 'worker'] })
    expect(named(events, 'process:spawn').map((spawn) => spawn.process.name)).toEqual(['api', 'worker'])
  })

  it('one_for_one restarts the failed process alone, by its own policy', async () => {
    const { sup, before, after, events } = await crashApi('one_for_one')
    expect(after.api).not.toBe(before.api)
    for (const name of ['db', 'worker', 'outside']) expect(after[name], name).toBe(before[name])
    expect(events.some((event) => event.name === 'group:restart')).toBe(false)
    expect(sup.groups()[0]).toMatchObject({ name: 'backend', strategy: 'one_for_one', recentRestarts: 1 })
  })

  it('an unhealthy exit (a failed liveness probe) triggers the strategy too', async () => {
    const flag = join(tempDir(), 'sick')
    const sup = supervisor({ groups: { backend: { strategy: 'one_for_all' } } })
    await sup.start([
      member('db'),
      {
        ...member('api', ['db']),
        probes: { liveness: { exec: { command: 'sh', args: ['-c', `[ ! -e ${flag} ]`] }, interval: '200ms', failureThreshold: 1 } },
      },
    ])
    const before = pidsOf(sup)
    const restart = nextEvent(sup, 'group:restart')
    writeFileSync(flag, '')
    const event = await restart
    rmSync(flag)
    expect(event).toMatchObject({ reason: 'unhealthy', apps: ['db', 'api'], trigger: { name: 'api', pid: before.api } })
    await until(() => sup.groups()[0]!.status === 'running' && sup.list().every((info) => info.status === 'online'), {
      timeout: 30_000,
      message: 'the group to settle',
    })
    expect(pidsOf(sup).db).not.toBe(before.db)
  })

  it('gives up after more than maxRestarts restarts within period: members stopped, group:errored with a CrashLoopError', async () => {
    const sup = supervisor({ groups: { flaky: { strategy: 'one_for_all', maxRestarts: 2, period: '60s' } } })
    const errored = nextEvent(sup, 'group:errored', () => true, 60_000)
    const restarts: string[][] = []
    sup.on('group:restart', (event) => restarts.push([...event.apps]))
    await sup.start([
      { name: 'steady', script: fixture('long-running.cjs'), group: 'flaky' },
      { name: 'crasher', script: fixture('exit-with.cjs'), args: ['3', '800'], group: 'flaky' },
    ])
    const { group, error } = await errored
    expect(group).toBe('flaky')
    expect(error).toBeInstanceOf(CrashLoopError)
    expect(error).toMatchObject({ code: 'TEND_ERR_CRASH_LOOP', group: 'flaky', app: 'crasher', restarts: 3, exitCode: 3, period: 60_000 })
    expect(error.message).toContain('Group "flaky" gave up')
    expect(restarts).toEqual([
      ['steady', 'crasher'],
      ['steady', 'crasher'],
    ])
    expect(sup.list().map((info) => [info.name, info.status, info.pid])).toEqual([
      ['steady', 'stopped', null],
      ['crasher', 'stopped', null],
    ])
    expect(sup.groups()[0]).toMatchObject({ status: 'errored' })
    // a member started again: the group runs again (not 'errored' with its members online)
    await sup.restart('steady')
    expect(sup.groups()[0]).toMatchObject({ status: 'running' })
    await sup.stop('steady')
    expect(sup.groups()[0]).toMatchObject({ status: 'running' })
  })

  it('a user stop or delete of a member never triggers the strategy, and a deleted app leaves its group', async () => {
    const sup = supervisor({ groups: { backend: { strategy: 'one_for_all' } } })
    await sup.start(apps)
    const before = pidsOf(sup)
    let triggered = 0
    sup.on('group:restart', () => triggered++)
    await sup.stop('worker')
    await sup.delete('worker')
    await sup.restart('api')
    expect(triggered).toBe(0)
    const after = pidsOf(sup)
    expect(after.db).toBe(before.db)
    expect(sup.groups()[0]).toMatchObject({ apps: ['db', 'api'], recentRestarts: 0, status: 'running' })
  })

  it('rejects an app naming an undeclared group, and a bad group declaration, before anything starts', async () => {
    const sup = supervisor({ groups: { backend: {} } })
    const error = await sup.start([member('db'), { ...member('api'), group: 'frontend' }]).catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(InvalidSpecError)
    expect(error).toMatchObject({ option: 'group', app: 'api' })
    expect((error as Error).message).toContain('group "frontend" is not declared')
    expect(sup.list()).toEqual([])
    await expect(sup.apply([{ ...member('api'), group: 'frontend' }])).rejects.toMatchObject({
      code: 'TEND_ERR_INVALID_SPEC',
      option: 'group',
    })
    expect(sup.list()).toEqual([])
    expect(() => supervisor({ groups: { g: { strategy: 'one_for_some' as GroupStrategy } } })).toThrow(InvalidSpecError)
    expect(() => sup.defineGroups({ g: { maxRestarts: -1 } })).toThrow(/groups\.g\.maxRestarts/)
    expect(sup.groups().map((group) => group.name)).toEqual(['backend'])
    expect(
      sup.defineGroups({ frontend: { strategy: 'rest_for_one', period: '2m' } }).map((group) => [group.name, group.strategy, group.period]),
    ).toEqual([
      ['backend', 'one_for_all', 60_000],
      ['frontend', 'rest_for_one', 120_000],
    ])
  })
})
