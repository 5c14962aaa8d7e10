import { EventEmitter } from 'node:events'
import eventemitter2 from 'eventemitter2'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { EventHub } from '../../src/core/event-hub.js'
import type { ProcessEvent } from '../../src/index.js'
import { fixture, supervisor } from '../helpers.js'

const { EventEmitter2 } = eventemitter2

/** Errors EventHub rethrows on a microtask, caught there so they do not fail the run as uncaught. */
function catchRethrown(): unknown[] {
  const rethrown: unknown[] = []
  const original = globalThis.queueMicrotask
  vi.spyOn(globalThis, 'queueMicrotask').mockImplementation((callback) =>
    original(() => {
      try {
        callback()
      } catch (error) {
        rethrown.push(error)
      }
    }),
  )
  return rethrown
}

afterEach(() => {
  vi.restoreAllMocks()
})

describe('EventHub', () => {
  it('calls every listener of both emitters when some throw, and rethrows each error on a microtask', async () => {
    const rethrown = catchRethrown()
    const typed = new EventEmitter()
    const bus = new EventEmitter2({ wildcard: true, delimiter: ':' })
    const hub = new EventHub(typed, bus)
    const calls: string[] = []
    const first = new Error('first typed listener')
    const second = new Error('bus listener')
    typed.on('process:online', () => {
      calls.push('typed 1')
      throw first
    })
    typed.once('process:online', () => calls.push('typed once'))
    typed.on('process:online', () => calls.push('typed 2'))
    bus.onAny((name: string | string[]) => calls.push(`any ${String(name)}`))
    bus.on('process:*', function (this: { event: string }) {
      calls.push(`wildcard ${this.event}`)
      throw second
    })
    bus.on('process:online', () => calls.push('bus exact'))

    const payload = { at: 1 } as unknown as ProcessEvent
    hub.emit('process:online', payload)
    expect(calls).toEqual(['typed 1', 'typed once', 'typed 2', 'any process:online', 'bus exact', 'wildcard process:online'])
    expect(rethrown).toEqual([]) // not on the emitter's stack
    await Promise.resolve()
    expect(rethrown).toEqual([first, second])

    calls.length = 0
    hub.emit('process:online', payload)
    expect(calls).not.toContain('typed once') // once() still means once
    expect(calls).toHaveLength(5)
  })

  it('a throwing process:online listener stops neither a second listener nor a sup.bus listener', async () => {
    const rethrown = catchRethrown()
    const sup = supervisor()
    const bug = new Error('a listener bug')
    const second: number[] = []
    const onBus: number[] = []
    sup.on('process:online', () => {
      throw bug
    })
    sup.on('process:online', (event) => second.push(event.process.id))
    sup.bus.on('process:online', (event: ProcessEvent) => onBus.push(event.process.id))
    const [info] = await sup.start({ name: 'app', script: fixture('long-running.cjs') })
    expect(second).toEqual([info!.id])
    expect(onBus).toEqual([info!.id])
    expect(rethrown).toContain(bug)
    // and the process is none the worse for it
    const [stopped] = await sup.stop('app')
    expect(stopped!.status).toBe('stopped')
  })
})
