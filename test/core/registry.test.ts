import { describe, expect, it } from 'vitest'
import { KeyedQueue } from '../../src/core/keyed-queue.js'
import type { ManagedProcess } from '../../src/core/managed-process.js'
import { Registry, runPlanned, type App, type Plan } from '../../src/core/registry.js'
import { NotFoundError, type NormalizedSpec, type Target } from '../../src/index.js'

/** A registry of apps a (blue: ids 0, 1), b (blue: 2) and c (default: 3), with stand-ins for their processes. */
function registry(): Registry {
  const registry = new Registry()
  for (const [name, namespace, count] of [
    ['a', 'blue', 2],
    ['b', 'blue', 1],
    ['c', 'default', 1],
  ] as const) {
    const app = registry.addApp({ name, namespace } as NormalizedSpec)
    for (let instance = 0; instance < count; instance++) {
      registry.addProcess(app, { id: registry.nextId(), instance } as ManagedProcess)
    }
  }
  return registry
}

/** A plan as plain data: app → [which, named]. */
function planOf(target: Target, from = registry()): Record<string, [number[] | 'all', boolean]> {
  const plain = (plan: Plan) =>
    Object.fromEntries([...plan].map(([name, { which, named }]) => [name, [which === 'all' ? 'all' : [...which], named]]))
  return plain(from.plan(target)) as Record<string, [number[] | 'all', boolean]>
}

describe('Registry target planning', () => {
  it.each<[string, Target, Record<string, [number[] | 'all', boolean]>]>([
    ['an app name', 'a', { a: ['all', true] }],
    ['an id', 2, { b: [[2], true] }],
    ['an id as digits', '1', { a: [[1], true] }],
    ['a namespace', 'blue', { a: ['all', false], b: ['all', false] }],
    ['all', 'all', { a: ['all', false], b: ['all', false], c: ['all', false] }],
    ['ids of one app, merged', [0, 1], { a: [[0, 1], true] }],
    ['an id and its app', [0, 'a'], { a: ['all', true] }],
    ['an app and a namespace that holds it', ['a', 'blue'], { a: ['all', true], b: ['all', false] }],
    ['a name no app has yet (a queued start may create it)', 'later', { later: ['all', true] }],
  ])('plans %s', (_, target, expected) => {
    expect(planOf(target)).toEqual(expected)
  })

  it.each<[string, Target]>([
    ['an unknown id', 42],
    ['unknown digits', '42'],
    ['a fractional id', 1.5],
    ['an empty array', []],
    ['a part that is neither id nor name', [{} as unknown as string]],
  ])('throws NotFoundError for %s', (_, target) => {
    expect(() => registry().plan(target)).toThrow(NotFoundError)
  })

  it('resolves the processes a target names now, by id, and throws for any part that names nothing', () => {
    const apps = registry()
    const ids = (target: Target) => apps.processesOf(target).map((process) => process.id)
    expect(ids(['c', 0])).toEqual([0, 3])
    expect(ids('blue')).toEqual([0, 1, 2])
    expect(() => ids(['a', 'nope'])).toThrow(NotFoundError)
    expect(ids('all')).toEqual([0, 1, 2, 3])
    expect(new Registry().processesOf('all')).toEqual([])
  })
})

describe('runPlanned', () => {
  const record = (seen: string[]) => (app: App, processes: ManagedProcess[]) => {
    seen.push(`${app.spec.name}:${processes.map((process) => process.id).join(',')}`)
    return Promise.resolve()
  }

  it('runs the task once per app with the processes named, and resolves with them all', async () => {
    const seen: string[] = []
    const done = await runPlanned(registry(), new KeyedQueue(), [0, 'c'], undefined, record(seen))
    expect(seen.sort()).toEqual(['a:0', 'c:3'])
    expect(done.map((process) => process.id).sort()).toEqual([0, 3])
  })

  it('resolves the target at its turn: an app deleted meanwhile is NotFound when named, skipped when from a namespace', async () => {
    const apps = registry()
    const queue = new KeyedQueue()
    let release!: () => void
    const held = queue.run('a', () => new Promise<void>((resolve) => (release = resolve)))
    const seen: string[] = []
    const named = runPlanned(apps, queue, 'a', undefined, record(seen))
    const byNamespace = runPlanned(apps, queue, 'blue', undefined, record(seen))
    apps.removeApp('a') // as a delete queued before them would
    await new Promise((resolve) => setImmediate(resolve)) // the held task has begun
    release()
    await held
    await expect(named).rejects.toBeInstanceOf(NotFoundError)
    expect((await byNamespace).map((process) => process.id)).toEqual([2])
    expect(seen).toEqual(['b:2'])
  })

  it('lets every app finish before it rejects with the first failure', async () => {
    const failure = new Error('a failed')
    const seen: string[] = []
    const run = runPlanned(registry(), new KeyedQueue(), 'all', undefined, async (app, processes) => {
      if (app.spec.name === 'a') throw failure
      await new Promise((resolve) => setImmediate(resolve))
      await record(seen)(app, processes)
    })
    await expect(run).rejects.toBe(failure)
    expect(seen.sort()).toEqual(['b:2', 'c:3'])
  })
})
