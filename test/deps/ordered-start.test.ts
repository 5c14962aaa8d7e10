import { describe, expect, it } from 'vitest'
import { DependencyError, InvalidSpecError } from '../../src/errors.js'
import type { AppSpec } from '../../src/types.js'
import { fixture, recordEvents, supervisor } from '../helpers.js'

// ready 1.5 s after it starts: long enough that two apps started together are booting at the same time
const app = (name: string, dependsOn: string[] = []): AppSpec => ({
  name,
  script: fixture('ready-after.cjs'),
  args: ['1500'],
  waitReady: true,
  listenTimeout: 30_000,
  dependsOn,
})

describe('dependsOn', () => {
  // a diamond: db → api → web and db → worker → web, with cache beside db and cron last
  const graph = [
    app('web', ['api', 'worker']),
    app('cron', ['web']),
    app('api', ['db', 'cache']),
    app('worker', ['db']),
    app('db'),
    app('cache'),
  ]
  const edges = graph.flatMap((spec) => (spec.dependsOn as string[]).map((dependency) => [dependency, spec.name!] as const))

  it('starts a graph in dependency order, independent apps together, and stops it in reverse', async () => {
    const sup = supervisor()
    const events = recordEvents(sup)
    const at = (name: string, event: string): number => {
      const found = events.find((e) => e.name === event && (e.payload.process as { name: string }).name === name)
      if (!found) throw new Error(`no ${event} for ${name}`)
      return found.payload.at as number
    }
    const started = await sup.start(graph)
    expect(started.map((info) => info.status)).toEqual(Array(6).fill('online'))
    for (const [dependency, dependent] of edges)
      expect(at(dependency, 'process:online')).toBeLessThanOrEqual(at(dependent, 'process:spawn'))
    // db and cache were booting at the same time: each spawned before the other was ready
    expect(at('db', 'process:spawn')).toBeLessThan(at('cache', 'process:online'))
    expect(at('cache', 'process:spawn')).toBeLessThan(at('db', 'process:online'))
    // so were api and worker, which both waited on db
    expect(at('api', 'process:spawn')).toBeLessThan(at('worker', 'process:online'))
    expect(at('worker', 'process:spawn')).toBeLessThan(at('api', 'process:online'))

    const before = events.length
    await sup.stop('all')
    const order = events
      .slice(before)
      .filter((e) => e.name === 'process:stopped' || e.name === 'process:exit')
      .map((e) => `${e.name === 'process:exit' ? 'exit' : 'stopped'} ${(e.payload.process as { name: string }).name}`)
    for (const [dependency, dependent] of edges) {
      expect(order.indexOf(`stopped ${dependent}`)).toBeLessThan(order.indexOf(`exit ${dependency}`))
    }
  }, 120_000)

  it('close() stops dependents before what they depend on (a runtime or daemon shutting down)', async () => {
    const sup = supervisor()
    const events = recordEvents(sup)
    const chain = [app('web', ['api']), app('api', ['db']), app('db')].map((spec) => ({ ...spec, args: ['0'] }))
    await sup.start(chain)
    const before = events.length
    await sup.close()
    const order = events
      .slice(before)
      .filter((e) => e.name === 'process:stopped' || e.name === 'process:exit')
      .map((e) => `${e.name === 'process:exit' ? 'exit' : 'stopped'} ${(e.payload.process as { name: string }).name}`)
    expect(order.indexOf('stopped web')).toBeLessThan(order.indexOf('exit api'))
    expect(order.indexOf('stopped api')).toBeLessThan(order.indexOf('exit db'))
  }, 60_000)

  it('rejects a cycle by name before anything starts', async () => {
    const sup = supervisor()
    await expect(sup.start([app('a', ['b']), app('b', ['c']), app('c', ['a']), app('d')])).rejects.toThrow(InvalidSpecError)
    await expect(sup.start([app('a', ['b']), app('b', ['a'])])).rejects.toThrow(/a → b → a/)
    await expect(sup.start([app('api', ['db'])])).rejects.toThrow(/"db", which is neither running nor in the set/)
    expect(sup.list()).toEqual([])
  })

  it('runs a migration to completion before the API, and does not start the API when it fails', async () => {
    const sup = supervisor()
    const events = recordEvents(sup)
    const migrate = (name: string, code: number): AppSpec => ({
      name,
      script: fixture('exit-with.cjs'),
      args: [String(code), '300'],
      autorestart: false,
    })
    const api = (name: string, migration: string): AppSpec => ({
      ...app(name),
      args: ['0'],
      dependsOn: { [migration]: 'completedSuccessfully' },
    })
    await sup.start([api('api', 'migrate'), migrate('migrate', 0)])
    const exitAt = events.find((e) => e.name === 'process:exit')!.payload.at as number
    const spawnAt = events.find((e) => e.name === 'process:spawn' && (e.payload.process as { name: string }).name === 'api')!.payload
      .at as number
    expect(spawnAt).toBeGreaterThanOrEqual(exitAt)
    expect(sup.describe('api')[0]!.status).toBe('online')
    expect(sup.describe('migrate')[0]).toMatchObject({ status: 'stopped', exitCode: 0 })

    const failed = sup.start([api('api2', 'migrate2'), migrate('migrate2', 3)])
    await expect(failed).rejects.toBeInstanceOf(DependencyError)
    await expect(failed).rejects.toMatchObject({ code: 'TEND_ERR_DEPENDENCY', chain: ['api2', 'migrate2'] })
    expect(sup.list().map((info) => info.name)).not.toContain('api2')
  }, 60_000)
})
