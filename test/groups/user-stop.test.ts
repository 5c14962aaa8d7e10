import { describe, expect, it } from 'vitest'
import { fixture, nextEvent, supervisor, until } from '../helpers.js'

describe('a user stop during a group restart', () => {
  it('keeps a member the restart had stopped stopped: `stop all` while it waits on a slow member leaves nothing running', async () => {
    // db gets ready 3 s after each start: the group's restart holds there, with api already stopped by it
    const sup = supervisor({ groups: { backend: { strategy: 'one_for_all', maxRestarts: 5, period: '60s' } } })
    await sup.start([
      { name: 'db', script: fixture('ready-after.cjs'), args: ['3000'], waitReady: true, listenTimeout: 60_000, group: 'backend' },
      { name: 'api', script: fixture('long-running.cjs'), group: 'backend', dependsOn: ['db'] },
    ])
    const db = sup.list().find((info) => info.name === 'db')!
    const apiStopped = nextEvent(sup, 'process:exit', (event) => event.process.name === 'api' && event.reason === 'group', 30_000)
    const dbRelaunched = nextEvent(sup, 'process:spawn', (event) => event.process.name === 'db', 30_000)
    process.kill(db.pid!, 'SIGKILL')
    await apiStopped
    await dbRelaunched
    await sup.stop('all')
    await until(() => sup.groups()[0]!.status === 'running', { timeout: 30_000, message: 'the group restart to end' })
    expect(sup.list().map((info) => [info.name, info.status, info.pid])).toEqual([
      ['db', 'stopped', null],
      ['api', 'stopped', null],
    ])
  }, 90_000)
})
