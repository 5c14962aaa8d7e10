import { describe, expect, it } from 'vitest'
import { DEFAULT_BACKOFF } from '../../src/restart/backoff.js'
import {
  classifyExit,
  decide,
  EMPTY_HISTORY,
  historyAfterRequestedRestart,
  type ExitFacts,
  type RestartHistory,
  type RestartPolicy,
} from '../../src/restart/policy.js'

const fixed: RestartPolicy = { autorestart: true, stopExitCodes: [], minUptime: 1000, maxRestarts: 3, restartDelay: 50, backoff: false }
const backoff: RestartPolicy = {
  ...fixed,
  maxRestarts: 16,
  backoff: { initialDelay: 100, factor: 2, maxDelay: 1000, resetAfter: 30_000, jitter: false },
}
const crash = { code: 1, signal: null, uptime: 10 }
const history = (unstableRestarts: number, attempt: number): RestartHistory => ({ unstableRestarts, attempt })

/** Feeds the same exit to decide() `times` times, carrying the history, and returns every decision. */
function run(exit: ExitFacts, policy: RestartPolicy, times: number, start: RestartHistory = EMPTY_HISTORY) {
  const decisions = []
  let current = start
  for (let i = 0; i < times; i++) {
    const decision = decide(exit, current, policy)
    decisions.push(decision)
    current = decision.history
  }
  return decisions
}

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
  it.each<[string, ExitFacts, RestartHistory, RestartPolicy, Record<string, unknown>]>([
    [
      'an unstable crash restarts after restartDelay and counts',
      crash,
      EMPTY_HISTORY,
      fixed,
      { action: 'restart', reason: 'crash', delay: 50, unstable: true, history: history(1, 1) },
    ],
    [
      'a stable crash restarts and resets both counts',
      { ...crash, uptime: 5000 },
      history(2, 2),
      fixed,
      { action: 'restart', reason: 'crash', delay: 50, unstable: false, history: history(0, 1) },
    ],
    ['a signal is a crash', { code: null, signal: 'SIGKILL', uptime: 10 }, EMPTY_HISTORY, fixed, { action: 'restart', reason: 'crash' }],
    [
      'code 0 restarts as reason exit',
      { code: 0, signal: null, uptime: 5000 },
      EMPTY_HISTORY,
      fixed,
      { action: 'restart', reason: 'exit' },
    ],
    [
      'a code in stopExitCodes stops',
      { code: 4, signal: null, uptime: 5 },
      EMPTY_HISTORY,
      { ...fixed, stopExitCodes: [4] },
      { action: 'stop', reason: 'exit', detail: 'exit code 4 is in stopExitCodes' },
    ],
    [
      'autorestart false stops',
      crash,
      EMPTY_HISTORY,
      { ...fixed, autorestart: false },
      { action: 'stop', reason: 'crash', detail: 'autorestart is false' },
    ],
    [
      'an unstable exit after maxRestarts gives up with TEND_ERR_CRASH_LOOP',
      crash,
      history(3, 3),
      fixed,
      { action: 'give-up', reason: 'crash', code: 'TEND_ERR_CRASH_LOOP', history: history(3, 3) },
    ],
    [
      'a stable exit after maxRestarts unstable ones still restarts',
      { ...crash, uptime: 1000 },
      history(3, 3),
      fixed,
      { action: 'restart', unstable: false, history: history(0, 1) },
    ],
    ['maxRestarts 0 gives up on the first unstable exit', crash, EMPTY_HISTORY, { ...fixed, maxRestarts: 0 }, { action: 'give-up' }],
    [
      'backoff: the first restart waits initialDelay',
      crash,
      EMPTY_HISTORY,
      backoff,
      { action: 'restart', delay: 100, history: history(1, 1) },
    ],
    [
      'backoff: attempt n waits initialDelay * factor^(n-1)',
      crash,
      history(2, 2),
      backoff,
      { action: 'restart', delay: 400, history: history(3, 3) },
    ],
    [
      'backoff: the delay is capped at maxDelay',
      crash,
      history(9, 9),
      backoff,
      { action: 'restart', delay: 1000, history: history(10, 10) },
    ],
    [
      'backoff: a run longer than minUptime but shorter than resetAfter keeps growing the delay',
      { ...crash, uptime: 5000 },
      history(3, 3),
      backoff,
      { action: 'restart', delay: 800, unstable: false, history: history(0, 4) },
    ],
    [
      'backoff: a run of resetAfter resets the attempt count',
      { ...crash, uptime: 30_000 },
      history(0, 7),
      backoff,
      { action: 'restart', delay: 100, history: history(0, 1) },
    ],
    ['backoff: restartDelay is ignored', crash, EMPTY_HISTORY, { ...backoff, restartDelay: 5000 }, { action: 'restart', delay: 100 }],
  ])('%s', (_name, exit, start, policy, expected) => {
    expect(decide(exit, start, policy)).toMatchObject(expected)
  })

  it('gives up after maxRestarts consecutive unstable restarts, with a detail that says why', () => {
    const decisions = run(crash, fixed, 4)
    expect(decisions.map((decision) => decision.action)).toEqual(['restart', 'restart', 'restart', 'give-up'])
    expect(decisions.map((decision) => decision.history.attempt)).toEqual([1, 2, 3, 3])
    const last = decisions[3]!
    expect(last.action === 'give-up' && last.detail).toBe(
      'exited 4 times in a row within minUptime (1000 ms) of starting; maxRestarts is 3',
    )
  })

  it('backoff: delays grow by factor up to maxDelay, then the crash loop gives up', () => {
    const decisions = run(crash, { ...backoff, maxRestarts: 7 }, 8)
    expect(decisions.map((decision) => (decision.action === 'restart' ? decision.delay : decision.action))).toEqual([
      100,
      200,
      400,
      800,
      1000,
      1000,
      1000,
      'give-up',
    ])
  })

  it('a crash loop that starts late in the process life is caught from its own start', () => {
    // Many stable restarts first (PM2 anchors its window at creation and would never catch what follows).
    let current = EMPTY_HISTORY
    for (let i = 0; i < 50; i++) current = decide({ ...crash, uptime: 60_000 }, current, backoff).history
    expect(current).toEqual(history(0, 1))
    const loop = run(crash, { ...backoff, maxRestarts: 3 }, 4, current)
    expect(loop.map((decision) => decision.action)).toEqual(['restart', 'restart', 'restart', 'give-up'])
    expect(loop.map((decision) => (decision.action === 'restart' ? decision.delay : null))).toEqual([200, 400, 800, null])
  })

  it('after a reset, the delay progression starts again at initialDelay', () => {
    const first = run(crash, backoff, 3)
    const reset = decide({ ...crash, uptime: 31_000 }, first.at(-1)!.history, backoff)
    const second = run(crash, backoff, 2, reset.history)
    expect([...first, reset, ...second].map((decision) => (decision.action === 'restart' ? decision.delay : null))).toEqual([
      100, 200, 400, 100, 200, 400,
    ])
  })

  it('jitter multiplies the delay by a factor in [1, 2) from the given random source, then caps it', () => {
    const jittery: RestartPolicy = { ...backoff, backoff: { ...DEFAULT_BACKOFF, jitter: true, initialDelay: 100, maxDelay: 1000 } }
    expect(decide(crash, EMPTY_HISTORY, jittery, () => 0)).toMatchObject({ delay: 100 })
    expect(decide(crash, EMPTY_HISTORY, jittery, () => 0.5)).toMatchObject({ delay: 150 })
    expect(decide(crash, history(0, 20), jittery, () => 0.99)).toMatchObject({ delay: 1000 })
  })
})

describe('historyAfterRequestedRestart (memory, cron, watch)', () => {
  it.each<[string, RestartHistory, number, RestartPolicy, RestartHistory]>([
    ['a short run keeps the history', history(2, 2), 10, fixed, history(2, 2)],
    ['a stable run ends a crash loop (fixed delay: and the attempts)', history(2, 2), 1000, fixed, history(0, 0)],
    ['a stable run ends a crash loop but keeps the backoff attempts', history(2, 5), 5000, backoff, history(0, 5)],
    ['a run of resetAfter resets the backoff too', history(2, 5), 30_000, backoff, history(0, 0)],
  ])('%s', (_name, start, uptime, policy, expected) => {
    expect(historyAfterRequestedRestart(start, uptime, policy)).toEqual(expected)
  })
})
