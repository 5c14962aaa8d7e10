/**
 * apply() (and so `tend start ecosystem.config.js`, which applies the file)
 * brings a set up in dependency order, as start() does: a PM2 user's
 * ecosystem file with dependsOn must not start everything at once.
 */
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { InvalidSpecError } from '../../src/errors.js'
import type { AppSpec, ProcessInfo } from '../../src/types.js'
import { fixture, recordEvents, supervisor } from '../helpers.js'
import { tendHome } from '../adapters/cli/cli-helpers.js'

const booting = (name: string, dependsOn: AppSpec['dependsOn'] = []): AppSpec => ({
  name,
  script: fixture('ready-after.cjs'),
  args: ['1000'],
  waitReady: true,
  listenTimeout: 30_000,
  dependsOn,
})
const migration = (name: string, code: number): AppSpec => ({
  name,
  script: fixture('exit-with.cjs'),
  args: [String(code), '500'],
  autorestart: false,
})

describe('apply in dependency order', { timeout: 120_000 }, () => {
  it('starts the added apps after what they depend on, and leaves the dependents of a failed migration alone', async () => {
    const sup = supervisor()
    const events = recordEvents(sup)
    const at = (name: string, event: string): number => {
      const found = events.find((e) => e.name === event && (e.payload.process as ProcessInfo).name === name)
      if (!found) throw new Error(`no ${event} for ${name}`)
      return found.payload.at as number
    }
    const results = await sup.apply([
      booting('api', { db: 'ready', migrate: 'completedSuccessfully' }),
      migration('migrate', 0),
      booting('db'),
    ])
    expect(results.map((result) => [result.name, result.actions, result.error])).toEqual([
      ['api', ['start'], undefined],
      ['migrate', ['start'], undefined],
      ['db', ['start'], undefined],
    ])
    expect(at('db', 'process:online')).toBeLessThanOrEqual(at('api', 'process:spawn'))
    expect(at('migrate', 'process:exit')).toBeLessThanOrEqual(at('api', 'process:spawn'))

    // a failed migration: its dependent gets a DependencyError and is not started; the rest go ahead
    const failed = await sup.apply([booting('api2', { migrate2: 'completedSuccessfully' }), migration('migrate2', 3), booting('other')], {})
    expect(failed.find((result) => result.name === 'api2')).toMatchObject({
      actions: [],
      error: { code: 'TEND_ERR_DEPENDENCY', message: expect.stringMatching(/"migrate2" did not complete successfully/) as string },
    })
    expect(failed.find((result) => result.name === 'other')).toMatchObject({ actions: ['start'] })
    expect(sup.list().map((info) => info.name)).not.toContain('api2')

    // a cycle is refused before anything changes
    await expect(sup.apply([booting('a', ['b']), booting('b', ['a'])])).rejects.toBeInstanceOf(InvalidSpecError)
    expect(sup.list().map((info) => info.name)).not.toContain('a')
  })

  it('`tend start ecosystem.config.js` starts the apps of the file in dependency order through the daemon', async () => {
    const tend = tendHome()
    const file = join(tend.home, 'ecosystem.config.js')
    writeFileSync(
      file,
      `module.exports = { apps: ${JSON.stringify([booting('api', { migrate: 'completedSuccessfully', db: 'ready' }), migration('migrate', 0), booting('db')])} }\n`,
    )
    const started = await tend.run(['start', file])
    expect(started).toMatchObject({ code: 0 })
    const list = await tend.json<ProcessInfo[]>(['ls'])
    const byName = new Map(list.map((info) => [info.name, info]))
    expect(byName.get('migrate')).toMatchObject({ status: 'stopped', exitCode: 0 })
    expect(byName.get('api')!.status).toBe('online')
    // api spawned after migrate ended (it runs 500 ms) and after db was ready (1 s after its spawn)
    expect(byName.get('api')!.startedAt!).toBeGreaterThanOrEqual(byName.get('db')!.startedAt! + 1000)
    expect(byName.get('api')!.startedAt!).toBeGreaterThanOrEqual(byName.get('migrate')!.startedAt! + 500)

    // save, kill, resurrect: the same order again, and the table shows the migration as it is by then (ended)
    expect((await tend.run(['save'])).code).toBe(0)
    expect((await tend.run(['kill'])).code).toBe(0)
    const resurrected = await tend.run(['resurrect'])
    expect(resurrected.code).toBe(0)
    expect(resurrected.stdout).toMatch(/migrate .* stopped/)
    expect(resurrected.stdout).toMatch(/api .* online/)
    tend.track(...(await tend.json<ProcessInfo[]>(['ls'])).map((info) => info.pid))
    expect((await tend.run(['kill'])).code).toBe(0)
  })
})
