/**
 * The one readiness rule (docs/readiness.md): online at the signal; at the
 * timeout, online anyway (flagged) for a process never confirmed ready, as
 * PM2; held to it when it was confirmed before.
 */
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ReadyTimeoutError } from '../../src/index.js'
import { fixture, nextEvent, recordEvents, supervisor, tempDir } from '../helpers.js'

describe('readiness', { timeout: 120_000 }, () => {
  it('runs a cluster app that never listens (a queue worker) with -i 2: online, flagged not confirmed ready, with a warning', async () => {
    const sup = supervisor()
    const events = recordEvents(sup)
    const started = await sup.start({
      name: 'worker',
      script: fixture('long-running.cjs'),
      mode: 'cluster',
      instances: 2,
      listenTimeout: 500,
    })
    expect(started.map((info) => [info.status, info.confirmedReady])).toEqual([
      ['online', false],
      ['online', false],
    ])
    const warnings = events.filter((event) => event.name === 'process:warning')
    expect(warnings).toHaveLength(2)
    expect(warnings[0]!.payload).toMatchObject({ code: 'not-confirmed-ready' })
    expect(String(warnings[0]!.payload.message)).toContain('fork mode')
    // a reload of such an app takes over at the timeout too: the replacement is as ready as the old one
    const before = started.map((info) => info.pid)
    const reloaded = await sup.reload('worker')
    expect(reloaded.map((info) => info.status)).toEqual(['online', 'online'])
    expect(reloaded.map((info) => info.pid).filter((pid) => before.includes(pid))).toEqual([])
  })

  it('an app that listens is online, confirmed, once listening', async () => {
    const sup = supervisor()
    const started = await sup.start({ name: 'web', script: fixture('http-server.cjs'), mode: 'cluster', instances: 2 })
    expect(started.map((info) => [info.status, info.confirmedReady])).toEqual([
      ['online', true],
      ['online', true],
    ])
  })

  it("wait_ready past listen_timeout at first start stays up as online, and the late 'ready' confirms it (PM2's wait-ready example)", async () => {
    const sup = supervisor()
    const [started] = await sup.start({
      name: 'slow',
      script: fixture('ready-after.cjs'),
      args: ['1500'],
      waitReady: true,
      listenTimeout: 300,
    })
    expect(started).toMatchObject({ status: 'online', confirmedReady: false })
    await nextEvent(sup, 'process:message', (event) => event.message === 'ready')
    expect(sup.describe('slow')[0]).toMatchObject({ status: 'online', confirmedReady: true, pid: started!.pid })
  })

  it('a reload whose replacement stops listening is rolled back: the old one, confirmed ready, keeps serving', async () => {
    const sup = supervisor()
    const flag = join(tempDir(), 'flag')
    writeFileSync(flag, 'listen')
    const [started] = await sup.start({
      name: 'web',
      script: fixture('listen-unless-flag.cjs'),
      args: [flag],
      mode: 'cluster',
      listenTimeout: 800,
    })
    expect(started!.confirmedReady).toBe(true)
    writeFileSync(flag, 'never')
    await expect(sup.reload('web')).rejects.toBeInstanceOf(ReadyTimeoutError)
    expect(sup.describe('web')[0]).toMatchObject({ pid: started!.pid, status: 'online', confirmedReady: true })
    // and a restart of it is held to it too: it fails rather than run a release that no longer listens
    await expect(sup.restart('web')).rejects.toBeInstanceOf(ReadyTimeoutError)
    expect(sup.describe('web')[0]!.status).toBe('errored')
  })
})
