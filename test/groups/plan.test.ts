import { describe, expect, it } from 'vitest'
import { InvalidSpecError } from '../../src/errors.js'
import { GROUP_DEFAULTS, normalizeGroup, normalizeGroups } from '../../src/groups/group-options.js'
import { countRestart, recentRestarts } from '../../src/groups/intensity.js'
import { memberOrder, restartSet, restartWaves, type Member } from '../../src/groups/plan.js'

const member = (name: string, ...dependsOn: string[]): Member => ({
  name,
  dependsOn: Object.fromEntries(dependsOn.map((dependency) => [dependency, 'ready' as const])),
})

describe('group intensity', () => {
  const group = { maxRestarts: 2, period: 1000 }

  it('gives up on the restart after maxRestarts within period', () => {
    let window: readonly number[] = []
    const exceeded = [0, 100, 200].map((at) => {
      const count = countRestart(window, at, group)
      window = count.window
      return count.exceeded
    })
    expect(exceeded).toEqual([false, false, true])
    expect(window).toEqual([0, 100, 200])
  })

  it('forgets restarts older than period (a sliding window)', () => {
    expect(countRestart([0, 100], 1000, group)).toEqual({ window: [100, 1000], exceeded: false })
    expect(countRestart([0, 100], 1100, group)).toEqual({ window: [1100], exceeded: false })
    expect(recentRestarts([0, 500, 900], 1400, 1000)).toEqual([500, 900])
  })

  it('maxRestarts 0 gives up on the first crash', () => {
    expect(countRestart([], 0, { maxRestarts: 0, period: 1000 }).exceeded).toBe(true)
  })
})

describe('strategy planning', () => {
  // started in this order: worker depends on api, api on db; cache stands alone
  const members = [member('worker', 'api', 'elsewhere'), member('api', 'db'), member('db'), member('cache')]

  it('orders members by dependency, ties by start order, ignoring apps outside the group', () => {
    expect(memberOrder(members)).toEqual(['db', 'cache', 'api', 'worker'])
  })

  it('one_for_all restarts every member, rest_for_one the failed one and those after it, one_for_one none', () => {
    const order = memberOrder(members)
    expect(restartSet('one_for_all', order, 'api')).toEqual(['db', 'cache', 'api', 'worker'])
    expect(restartSet('rest_for_one', order, 'api')).toEqual(['api', 'worker'])
    expect(restartSet('rest_for_one', order, 'worker')).toEqual(['worker'])
    expect(restartSet('rest_for_one', order, 'db')).toEqual(['db', 'cache', 'api', 'worker'])
    expect(restartSet('one_for_one', order, 'api')).toEqual([])
    expect(restartSet('rest_for_one', order, 'deleted')).toEqual([])
  })

  it('starts a set in waves of its own dependencies', () => {
    expect(restartWaves(['db', 'cache', 'api', 'worker'], members)).toEqual([['db', 'cache'], ['api'], ['worker']])
    // without db in the set, api depends on nothing that restarts
    expect(restartWaves(['api', 'worker'], members)).toEqual([['api'], ['worker']])
  })
})

describe('group declarations', () => {
  it('apply the defaults', () => {
    expect(normalizeGroup('backend', {})).toEqual({ name: 'backend', ...GROUP_DEFAULTS })
    expect(normalizeGroup('backend', undefined)).toEqual({ name: 'backend', ...GROUP_DEFAULTS })
    expect(normalizeGroups({ a: { strategy: 'rest_for_one', maxRestarts: 0, period: '5s' } })).toEqual([
      { name: 'a', strategy: 'rest_for_one', maxRestarts: 0, period: 5000 },
    ])
    expect(normalizeGroups(undefined)).toEqual([])
  })

  it.each([
    [{ strategy: 'one_for_some' }, 'groups.g.strategy', "expected 'one_for_all', 'rest_for_one', 'one_for_one'"],
    [{ maxRestarts: 1.5 }, 'groups.g.maxRestarts', 'an integer ≥ 0'],
    [{ period: 0 }, 'groups.g.period', 'above 0'],
    [{ period: 'soon' }, 'groups.g.period', 'a duration'],
    [{ maxRestart: 3 }, 'groups.g.maxRestart', 'did you mean "maxRestarts"?'],
    ['one_for_all', 'groups.g', 'an object'],
  ])('reject %j naming %s', (spec, option, message) => {
    const error = (() => {
      try {
        normalizeGroups({ g: spec })
      } catch (caught) {
        return caught
      }
      return null
    })()
    expect(error).toBeInstanceOf(InvalidSpecError)
    expect(error).toMatchObject({ option })
    expect((error as Error).message).toContain(message)
  })

  it('reject a name with spaces and a groups value that is not an object', () => {
    expect(() => normalizeGroups({ 'my group': {} })).toThrow(InvalidSpecError)
    expect(() => normalizeGroups(['backend'])).toThrow(/"groups"/)
  })
})
