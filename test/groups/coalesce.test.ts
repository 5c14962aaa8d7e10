import { describe, expect, it } from 'vitest'
import { fixture, nextEvent, recordEvents, supervisor, until } from '../helpers.js'

describe('a crash during a group restart in flight', () => {
  it('is counted and coalesced into one more restart after it, never run beside it', async () => {
    const sup = supervisor({ groups: { backend: { strategy: 'one_for_all', maxRestarts: 5, period: '60s' } } })
    // db takes a second to get ready, so a group restart waits for it a while
    await sup.start([
      { name: 'db', script: fixture('ready-after.cjs'), args: ['1000'], waitReady: true, listenTimeout: 30_000, group: 'backend' },
      { name: 'api', script: fixture('long-running.cjs'), group: 'backend', dependsOn: ['db'] },
    ])
    const events = recordEvents(sup)
    // kill db as each of its next two children spawns: both while the first group restart waits for db
    let kills = 0
    sup.on('process:spawn', (event) => {
      if (event.process.name === 'db' && kills < 2) {
        kills++
        process.kill(event.process.pid!, 'SIGKILL')
      }
    })
    process.kill(sup.list().find((info) => info.name === 'api')!.pid!, 'SIGKILL')
    await until(() => events.filter((event) => event.name === 'group:restart').length === 2, {
      timeout: 30_000,
      message: 'a second group restart',
    })
    await until(() => sup.groups()[0]!.status === 'running' && sup.list().every((info) => info.status === 'online'), {
      timeout: 60_000,
      message: 'the group to settle',
    })
    const names = events.map((event) => {
      const process = (event.payload as { process?: { name: string } }).process
      return process ? `${event.name} ${process.name}` : event.name
    })
    expect(kills).toBe(2)
    expect(names.filter((name) => name === 'group:restart')).toHaveLength(2)
    // the second restart begins once the first has brought api back
    const second = names.lastIndexOf('group:restart')
    expect(names.indexOf('process:online api')).toBeGreaterThan(-1)
    expect(names.indexOf('process:online api')).toBeLessThan(second)
    // three crashes counted: api's and db's two
    expect(sup.groups()[0]).toMatchObject({ recentRestarts: 3, status: 'running' })
  })

  it('close() during a group restart cuts it short and leaves no process behind', async () => {
    const sup = supervisor({ groups: { backend: { strategy: 'one_for_all' } } })
    await sup.start([
      { name: 'db', script: fixture('ready-after.cjs'), args: ['1500'], waitReady: true, listenTimeout: 30_000, group: 'backend' },
      { name: 'api', script: fixture('long-running.cjs'), group: 'backend', dependsOn: ['db'] },
    ])
    // db's new child is waiting to get ready when close() comes
    const dbSpawned = nextEvent(sup, 'process:spawn', (event) => event.process.name === 'db')
    process.kill(sup.list().find((info) => info.name === 'api')!.pid!, 'SIGKILL')
    await dbSpawned
    await sup.close()
    expect(sup.list().map((info) => [info.name, info.status, info.pid])).toEqual([
      ['db', 'stopped', null],
      ['api', 'stopped', null],
    ])
    expect(sup.groups()[0]).toMatchObject({ status: 'running' })
  })
})
