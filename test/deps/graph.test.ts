import { describe, expect, it } from 'vitest'
import { startWaves, stopWaves, type DependencyNode } from '../../src/deps/graph.js'
import { InvalidSpecError } from '../../src/errors.js'

const node = (name: string, ...dependsOn: string[]): DependencyNode => ({
  name,
  dependsOn: Object.fromEntries(dependsOn.map((dependency) => [dependency, 'ready' as const])),
})

describe('dependency graph', () => {
  // db and cache are independent; api and worker both need db (a diamond into web); web needs api and worker
  const graph = [
    node('web', 'api', 'worker'),
    node('api', 'db', 'cache'),
    node('worker', 'db'),
    node('db'),
    node('cache'),
    node('cron', 'web'),
  ]

  it('puts each app in the first wave after its dependencies', () => {
    expect(startWaves(graph)).toEqual([['db', 'cache'], ['api', 'worker'], ['web'], ['cron']])
  })

  it('stops in reverse', () => {
    expect(stopWaves(graph)).toEqual([['cron'], ['web'], ['api', 'worker'], ['db', 'cache']])
  })

  it('rejects a cycle by naming it', () => {
    const cyclic = [node('a', 'b'), node('b', 'c'), node('c', 'a'), node('d')]
    expect(() => startWaves(cyclic)).toThrow(InvalidSpecError)
    expect(() => startWaves(cyclic)).toThrow('a cycle: a → b → c → a')
    expect(() => startWaves([node('self', 'self')])).toThrow('self → self')
  })

  it('rejects a dependency neither in the set nor running, and accepts a running one', () => {
    expect(() => startWaves([node('api', 'db')])).toThrow('App "api" depends on "db", which is neither running nor in the set')
    expect(startWaves([node('api', 'db')], (name) => name === 'db')).toEqual([['api']])
  })
})
