import { existsSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { CrashLoopError } from '../../src/errors.js'
import type { ProcessHealthEvent } from '../../src/types.js'
import { fixture, isAlive, nextEvent, supervisor, tempDir, until } from '../helpers.js'
import { freePort, get, getPath } from '../http-load.js'

const pidOf = async (port: number): Promise<number> => (JSON.parse(await get(port)) as { pid: number }).pid

describe('health probes', () => {
  it('restarts a hung app through its HTTP liveness probe within the bound, with reason unhealthy', async () => {
    const sup = supervisor()
    const port = await freePort()
    // the startup probe holds liveness off until the app listens, however slowly a loaded machine boots it
    const startup = { tcp: {}, interval: '200ms', failureThreshold: 100 } as const
    // timeout under interval, as the bound asks: each check ends before the next tick
    const liveness = { http: { path: '/healthz' }, interval: '500ms', timeout: '400ms', failureThreshold: 2 } as const
    const killTimeout = 1000
    // the bound: initialDelay + interval × failureThreshold + timeout + killTimeout, plus a second (3.4 s here)
    const bound = 0 + 500 * 2 + 400 + killTimeout + 1000
    const [info] = await sup.start({
      script: fixture('probe-app.cjs'),
      env: { PORT: port },
      killTimeout,
      probes: { startup, liveness },
    })
    const before = info!.pid!
    expect(info!.health).toMatchObject({ status: 'healthy', ready: true })
    const exited = nextEvent(sup, 'process:exit', (event) => event.process.id === info!.id)
    const restarted = nextEvent(sup, 'process:restart', (event) => event.process.id === info!.id)
    expect(await getPath(port, '/hang')).toBe('hanging')
    // the loop blocks 50 ms after this answer; the bound runs from here, so it has those 50 ms to spare
    const hungAt = Date.now()
    const exit = await exited
    expect(exit.reason).toBe('unhealthy')
    // the SIGINT handler could not run in the blocked loop: the stop took its SIGKILL, so the whole bound was needed
    expect(exit.forced).toBe(true)
    expect(exit.at - hungAt).toBeLessThanOrEqual(bound)
    expect((await restarted).reason).toBe('unhealthy')
    const online = await nextEvent(sup, 'process:online', (event) => event.process.id === info!.id)
    expect(online.process.pid).not.toBe(before)
    expect(await pidOf(port)).toBe(online.process.pid) // online only once the startup probe connected
    expect(sup.list()[0]!.restarts).toBe(1)
  }, 60_000)

  it('holds start() until the readiness probe passes, and keeps a later failing instance running with ready: false', async () => {
    const sup = supervisor()
    const port = await freePort()
    const events: ProcessHealthEvent[] = []
    sup.on('process:health', (event) => events.push(event))
    const readiness = { http: { path: '/ready' }, interval: '200ms', failureThreshold: 2 } as const
    const [info] = await sup.start({ script: fixture('probe-app.cjs'), env: { PORT: port, READY_AFTER: 800 }, probes: { readiness } })
    expect(info!.status).toBe('online')
    expect(info!.health).toMatchObject({ status: 'healthy', ready: true, consecutiveFailures: 0 })
    expect(events.map((event) => event.health.ready)).toEqual([true])
    const series = (name: string, value: number): RegExp =>
      new RegExp(`^${name}\\{name="${info!.name}",namespace="default",id="${info!.id}",instance="0"\\} ${value}$`, 'm')
    expect(await sup.prometheus()).toMatch(series('tend_process_ready', 1))

    const unready = nextEvent(sup, 'process:health', (event) => !event.health.ready)
    await getPath(port, '/unready')
    const event = await unready
    expect(event.health.lastError).toMatch(/readiness: GET \/ready answered 503/)
    const now = sup.list()[0]!
    expect(now.status).toBe('online')
    expect(now.pid).toBe(info!.pid)
    expect(now.health!.ready).toBe(false)
    const text = await sup.prometheus()
    expect(text).toMatch(series('tend_process_ready', 0))
    expect(text).toMatch(series('tend_process_healthy', 1)) // not ready, yet nothing failed a liveness probe
  }, 60_000)

  it('rolls a reload back when the replacement never passes readiness, the old instance serving', async () => {
    const sup = supervisor()
    const port = await freePort()
    const flag = join(tempDir(), 'never-ready')
    const readiness = { logLine: 'ready to serve', interval: '100ms', timeout: '100ms', failureThreshold: 3 } as const
    const [info] = await sup.start({
      script: fixture('probe-app.cjs'),
      env: { PORT: port, NEVER_READY_FILE: flag },
      listenTimeout: 1500,
      killTimeout: 1000,
      probes: { readiness },
    })
    const before = info!.pid!
    writeFileSync(flag, '')
    expect(existsSync(flag)).toBe(true)
    const replacement = nextEvent(sup, 'process:spawn', (event) => event.process.pid !== before)
    await expect(sup.reload(info!.id)).rejects.toMatchObject({ code: 'TEND_ERR_READY_TIMEOUT' })
    const replacementPid = (await replacement).process.pid!
    await until(() => !isAlive(replacementPid), { message: 'the replacement to be stopped' })
    const now = sup.list()[0]!
    expect(now.status).toBe('online')
    expect(now.pid).toBe(before)
    expect(await pidOf(port)).toBe(before)
  }, 60_000)

  it('stops an instance whose startup probe fails, as an unstable start (crash loop rules apply)', async () => {
    const sup = supervisor()
    const port = await freePort()
    const startup = { tcp: {}, interval: '100ms', timeout: '200ms', failureThreshold: 2 } as const
    const exit = nextEvent(sup, 'process:exit')
    // nothing listens on this port: NEVER_READY_FILE names an existing file, so the app only idles
    const start = sup.start({
      script: fixture('probe-app.cjs'),
      env: { PORT: port, NEVER_READY_FILE: fixture('probe-app.cjs') },
      maxRestarts: 0,
      killTimeout: 500,
      probes: { startup },
    })
    await expect(start).rejects.toBeInstanceOf(CrashLoopError)
    expect((await exit).reason).toBe('unhealthy')
    expect(sup.list()[0]!.status).toBe('errored')
  }, 60_000)
})
