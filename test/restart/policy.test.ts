import { describe, expect, it } from 'vitest'
import { classifyExit, decide, EMPTY_HISTORY, type RestartPolicy } from '../../src/restart/policy.js'

const policy: RestartPolicy = { autorestart: true, stopExitCodes: [], minUptime: 1000, maxRestarts: 3, restartDelay: 50 }
const crash = { code: 1, signal: null, uptime: 10 }

describe('classifyExit', () => {
  it.each([
    [{ code: 0, signal: null }, [], 'exit'],
    [{ code: 1, signal: null }, [], 'crash'],
    [{ code: 1, signal: null }, [1], 'exit'],
    [{ code: null, signal: 'SIGKILL' as const }, [], 'crash'],
  ])('%o with stopExitCodes %o is %s', (exit, stopExitCodes, kind) => {
    expect(classifyExit({ ...exit, uptime: 0 }, { stopExitCodes })).toBe(kind)
  })
})

describe('decide', () => {
  it('restarts an unstable crash after restartDelay and counts it', () => {
    expect(decide(crash, EMPTY_HISTORY, policy)).toEqual({
      action: 'restart',
      reason: 'crash',
      delay: 50,
      unstable: true,
      history: { unstableRestarts: 1, attempt: 1 },
    })
  })

  it('gives up after maxRestarts consecutive unstable restarts', () => {
    let history = EMPTY_HISTORY
    for (let i = 0; i < 3; i++) {
      const decision = decide(crash, history, policy)
      expect(decision.action).toBe('restart')
      history = decision.history
    }
    expect(history).toEqual({ unstableRestarts: 3, attempt: 3 })
    expect(decide(crash, history, policy)).toEqual({ action: 'give-up', reason: 'crash', history })
  })

  it('a stable run resets the count, so a later crash loop is caught from its own start', () => {
    const stable = decide({ ...crash, uptime: 5000 }, { unstableRestarts: 2, attempt: 2 }, policy)
    expect(stable).toMatchObject({ action: 'restart', unstable: false, history: { unstableRestarts: 0, attempt: 1 } })
    let history = stable.history
    for (let i = 0; i < 3; i++) history = decide(crash, history, policy).history
    expect(decide(crash, history, policy).action).toBe('give-up')
  })

  it('restarts an exit with code 0 as reason exit', () => {
    expect(decide({ code: 0, signal: null, uptime: 5000 }, EMPTY_HISTORY, policy)).toMatchObject({ action: 'restart', reason: 'exit' })
  })

  it('stops for codes in stopExitCodes and when autorestart is false', () => {
    expect(decide({ code: 4, signal: null, uptime: 5 }, EMPTY_HISTORY, { ...policy, stopExitCodes: [4] })).toMatchObject({ action: 'stop', reason: 'exit' })
    expect(decide(crash, EMPTY_HISTORY, { ...policy, autorestart: false })).toMatchObject({ action: 'stop', reason: 'crash' })
  })

  it('maxRestarts 0 gives up on the first unstable exit', () => {
    expect(decide(crash, EMPTY_HISTORY, { ...policy, maxRestarts: 0 }).action).toBe('give-up')
  })
})
