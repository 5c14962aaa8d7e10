import { describe, expect, it } from 'vitest'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { ReadyTimeoutError } from '../../src/index.js'
import { fixture, isAlive, nextEvent, recordEvents, supervisor, tempDir, waitForLine } from '../helpers.js'

describe('fork-mode reload', () => {
  it('starts each replacement before it stops the old process (no gap), one instance at a time', async () => {
    const sup = supervisor()
    const before = await sup.start({ name: 'worker', script: fixture('long-running.cjs'), instances: 2 })
    const events = recordEvents(sup)
    const after = await sup.reload('worker')
    expect(after.map((info) => info.id)).toEqual(before.map((info) => info.id))
    for (const [i, info] of after.entries()) {
      const old = before[i]!
      expect(info).toMatchObject({ status: 'online', restarts: 1 })
      expect(info.pid).not.toBe(old.pid)
      expect(isAlive(old.pid!)).toBe(false)
      const online = events.findIndex((e) => e.name === 'process:online' && (e.payload.process as { pid: number }).pid === info.pid)
      const exit = events.findIndex((e) => e.name === 'process:exit' && (e.payload.process as { pid: number }).pid === old.pid)
      expect(online).toBeGreaterThanOrEqual(0)
      expect(exit).toBeGreaterThan(online)
      expect(events[exit]!.payload.reason).toBe('reload')
    }
    // instance 1's replacement starts only once instance 0's is online
    const spawns = events.filter((e) => e.name === 'process:spawn').map((e) => (e.payload.process as { instance: number }).instance)
    expect(spawns).toEqual([0, 1])
  })

  it('reports the retired process as forced when it had to be SIGKILLed', async () => {
    const sup = supervisor()
    const [before] = await sup.start({ name: 'stubborn', script: fixture('ignore-signals.cjs'), killTimeout: 300 })
    await waitForLine(sup, before!.id, /stubborn/) // its handlers are in place
    const exit = nextEvent(sup, 'process:exit', (event) => event.process.pid === before!.pid)
    const [after] = await sup.reload('stubborn')
    expect(await exit).toMatchObject({ reason: 'reload', signal: 'SIGKILL', forced: true })
    const crash = nextEvent(sup, 'process:exit')
    process.kill(after!.pid!, 'SIGKILL') // not asked for: a crash, never forced
    expect(await crash).toMatchObject({ reason: 'crash', signal: 'SIGKILL', forced: false })
  })

  it('keeps the old process when the replacement cannot get ready, and rejects', async () => {
    const sup = supervisor()
    const flag = join(tempDir(), 'flag')
    const [before] = await sup.start({
      name: 'app',
      script: fixture('ready-unless-flag.cjs'),
      args: [flag],
      waitReady: true,
      listenTimeout: 500,
    })
    writeFileSync(flag, 'never')
    await expect(sup.reload('app')).rejects.toBeInstanceOf(ReadyTimeoutError)
    const [now] = sup.describe('app')
    expect(now).toMatchObject({ pid: before!.pid, status: 'online', restarts: 0 })
    expect(isAlive(before!.pid!)).toBe(true)
    // once the new version is fixed, the reload goes through
    writeFileSync(flag, 'ok')
    const [reloaded] = await sup.reload('app')
    expect(reloaded!.pid).not.toBe(before!.pid)
  })
})
