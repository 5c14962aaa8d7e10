import { describe, expect, it } from 'vitest'
import { KeyedQueue } from '../../src/core/keyed-queue.js'

/** A task that resolves when told to, recording when it starts and ends. */
function gate(log: string[], name: string): { task: () => Promise<string>; open: () => void } {
  let open!: () => void
  const opened = new Promise<void>((resolve) => (open = resolve))
  return {
    task: async () => {
      log.push(`${name} start`)
      await opened
      log.push(`${name} end`)
      return name
    },
    open,
  }
}

describe('KeyedQueue', () => {
  it('runs the tasks of one key one after another, in call order', async () => {
    const queue = new KeyedQueue()
    const log: string[] = []
    const [a, b, c] = [gate(log, 'a'), gate(log, 'b'), gate(log, 'c')]
    const results = [queue.run('app', a.task), queue.run('app', b.task), queue.run('app', c.task)]
    await Promise.resolve()
    expect(log).toEqual(['a start'])
    c.open()
    b.open()
    a.open()
    expect(await Promise.all(results)).toEqual(['a', 'b', 'c'])
    expect(log).toEqual(['a start', 'a end', 'b start', 'b end', 'c start', 'c end'])
  })

  it('runs different keys in parallel, and a failure does not block the key', async () => {
    const queue = new KeyedQueue()
    const log: string[] = []
    const [a, b] = [gate(log, 'a'), gate(log, 'b')]
    const first = queue.run('one', a.task)
    const second = queue.run('two', b.task)
    await new Promise((resolve) => setImmediate(resolve))
    expect(log).toEqual(['a start', 'b start'])
    b.open()
    expect(await second).toBe('b')
    a.open()
    await first
    const failure = new Error('boom')
    await expect(queue.run('one', () => Promise.reject(failure))).rejects.toBe(failure)
    await expect(queue.run('one', () => Promise.resolve('after'))).resolves.toBe('after')
  })

  it('rejects at once with the reason when aborted while queued, and skips the task', async () => {
    const queue = new KeyedQueue()
    const log: string[] = []
    const a = gate(log, 'a')
    const first = queue.run('app', a.task)
    const controller = new AbortController()
    let ran = false
    const queued = queue.run(
      'app',
      () => {
        ran = true
        return Promise.resolve()
      },
      controller.signal,
    )
    const reason = new Error('changed my mind')
    controller.abort(reason)
    await expect(queued).rejects.toBe(reason) // while the first still runs
    a.open()
    await first
    await queue.idle()
    expect(ran).toBe(false)
    await expect(queue.run('app', () => Promise.resolve(), AbortSignal.abort(reason))).rejects.toBe(reason)
  })

  it('idle() resolves at once with nothing queued, and once every task queued so far has settled', async () => {
    const queue = new KeyedQueue()
    await queue.idle()
    const log: string[] = []
    const [a, b] = [gate(log, 'a'), gate(log, 'b')]
    void queue.run('one', a.task)
    const failing = queue.run('two', () => Promise.reject(new Error('no'))).catch(() => 'caught')
    void queue.run('two', b.task)
    let idle = false
    const waiting = queue.idle().then(() => (idle = true))
    a.open()
    await new Promise((resolve) => setImmediate(resolve))
    expect(idle).toBe(false)
    b.open()
    await waiting
    expect(await failing).toBe('caught')
    expect(log).toEqual(['a start', 'a end', 'b start', 'b end'])
  })
})
