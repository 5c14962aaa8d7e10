import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { ProcessInfo } from '../../src/index.js'
import { tendHome } from '../adapters/cli/cli-helpers.js'
import { fixture, isAlive, until } from '../helpers.js'

// Each CLI call is a fresh node process (with tsx): give the flow room on a loaded machine.
describe('groups through the daemon and the CLI', { timeout: 240_000 }, () => {
  it("an ecosystem file's groups reach the daemon, show in describe, and survive save, kill and resurrect", async () => {
    const tend = tendHome()
    const eco = join(tend.home, 'ecosystem.config.json')
    writeFileSync(
      eco,
      JSON.stringify({
        groups: { backend: { strategy: 'rest_for_one', maxRestarts: 4, period: '30s' } },
        apps: [
          { name: 'db', script: fixture('long-running.cjs'), group: 'backend' },
          { name: 'api', script: fixture('long-running.cjs'), group: 'backend', dependsOn: ['db'] },
        ],
      }),
    )
    await tend.json<ProcessInfo[]>(['start', eco])
    const described = await tend.run(['describe', 'api'])
    expect(described.code).toBe(0)
    expect(described.stdout).toMatch(/group\s+backend, rest_for_one .*members in order: db, api.*gives up after 4 restarts within 30 s/)

    expect(await tend.json(['save'])).toMatchObject({ apps: 2 })
    expect(JSON.parse(readFileSync(join(tend.home, 'dump.json'), 'utf8'))).toMatchObject({
      groups: { backend: { strategy: 'rest_for_one', maxRestarts: 4, period: 30_000 } },
    })
    const daemon = tend.daemonPid()!
    await tend.json(['kill'])
    await until(() => !isAlive(daemon), { message: 'the daemon to go' })

    const resurrected = await tend.json<ProcessInfo[]>(['resurrect'])
    const pid = (name: string): number => resurrected.find((info) => info.name === name)!.pid!
    // the group is back with its strategy: a crash of db restarts db and api (the members after it)
    const [dbBefore, apiBefore] = [pid('db'), pid('api')]
    process.kill(dbBefore, 'SIGKILL')
    // each look is a CLI run (no event reaches this test): ask until both are back, bounded
    let now: ProcessInfo[] = []
    const restarted = (): boolean =>
      now.length === 2 && now.every((info) => info.status === 'online' && info.pid !== dbBefore && info.pid !== apiBefore)
    for (const deadline = Date.now() + 60_000; !restarted() && Date.now() < deadline;) now = await tend.json<ProcessInfo[]>(['list'])
    expect(now.map((info) => [info.name, info.status])).toEqual([
      ['db', 'online'],
      ['api', 'online'],
    ])
    expect(now.find((info) => info.name === 'api')!.pid).not.toBe(apiBefore)
    tend.track(...now.map((info) => info.pid))
    expect((await tend.run(['describe', 'db'])).stdout).toMatch(/group\s+backend, rest_for_one .*\(1 so far\)/)
  })

  it('tend ls says why the members of a group that gave up are stopped', async () => {
    const tend = tendHome()
    const eco = join(tend.home, 'ecosystem.config.json')
    writeFileSync(
      eco,
      JSON.stringify({
        groups: { backend: { strategy: 'one_for_all', maxRestarts: 1, period: '60s' } },
        apps: [
          { name: 'steady', script: fixture('long-running.cjs'), group: 'backend' },
          { name: 'crasher', script: fixture('exit-with.cjs'), args: ['1', '300'], group: 'backend' },
          { name: 'outside', script: fixture('long-running.cjs') },
        ],
      }),
    )
    expect((await tend.run(['start', eco])).code).toBe(0)
    let table = ''
    const gaveUp = (): boolean => (table.match(/stopped \(group gave up\)/g) ?? []).length === 2
    for (const deadline = Date.now() + 60_000; !gaveUp() && Date.now() < deadline;) table = (await tend.run(['ls'])).stdout
    expect(table).toMatch(/steady .*stopped \(group gave up\)/)
    expect(table).toMatch(/crasher .*stopped \(group gave up\)/)
    expect(table).toMatch(/outside .*online/)
    // a user's stop reads as a plain stop
    expect((await tend.run(['stop', 'outside'])).code).toBe(0)
    expect((await tend.run(['ls'])).stdout).toMatch(/outside .* stopped\s/)
    tend.track(...(await tend.json<ProcessInfo[]>(['list'])).map((info) => info.pid))
  })

  it('tend apply says what it changes in the groups, with --dry-run too', async () => {
    const tend = tendHome()
    const eco = join(tend.home, 'ecosystem.config.json')
    const file = (maxRestarts: number, extra: Record<string, unknown> = {}): void =>
      writeFileSync(
        eco,
        JSON.stringify({
          groups: { backend: { strategy: 'one_for_all', maxRestarts, period: '30s' }, ...extra },
          apps: [{ name: 'api', script: fixture('long-running.cjs'), group: 'backend' }],
        }),
      )
    file(3)
    expect((await tend.run(['start', eco])).code).toBe(0)
    file(9, { jobs: { strategy: 'one_for_one' } })
    const dry = await tend.run(['apply', eco, '--dry-run'])
    expect(dry).toMatchObject({ code: 0, stderr: '' })
    expect(dry.stdout).toContain('group backend: would be changed\n  ~ maxRestarts: 3 -> 9\ngroup jobs: would be added\napi: unchanged')
    expect((await tend.run(['describe', 'api'])).stdout).toMatch(/gives up after 3 restarts/)
    const applied = await tend.run(['apply', eco])
    expect(applied.stdout).toContain('group backend: changed\n  ~ maxRestarts: 3 -> 9\ngroup jobs: added\napi: unchanged')
    expect((await tend.run(['describe', 'api'])).stdout).toMatch(/gives up after 9 restarts/)
    // nothing changed: no group line
    expect((await tend.run(['apply', eco])).stdout).not.toContain('group ')
    tend.track(...(await tend.json<ProcessInfo[]>(['list'])).map((info) => info.pid))
  })

  it('refuses an ecosystem file whose app names an undeclared group, naming it, and starts nothing', async () => {
    const tend = tendHome()
    const eco = join(tend.home, 'ecosystem.config.json')
    writeFileSync(eco, JSON.stringify({ apps: [{ name: 'api', script: fixture('long-running.cjs'), group: 'backend' }] }))
    const result = await tend.run(['start', eco])
    expect(result.code).toBe(1)
    expect(result.stderr).toContain('group "backend" is not declared')
    expect(result.stderr).toContain('TEND_ERR_INVALID_SPEC')
    expect(await tend.json(['list'])).toEqual([])
  })
})
