import { describe, expect, it } from 'vitest'
import { ExitedError } from '../../src/index.js'
import { fixture, isAlive, nextEvent, supervisor, until, waitForLine } from '../helpers.js'
import { freePort, get, startLoad, waitForHttp } from '../http-load.js'

function pidsOf(bodies: Iterable<string>): Set<number> {
  return new Set([...bodies].map((body) => (body.startsWith('{') ? (JSON.parse(body) as { pid: number }).pid : Number(body))))
}

describe('cluster mode', () => {
  it('runs a CommonJS and an ESM app on shared ports', async () => {
    const sup = supervisor()
    const [cjsPort, esmPort] = [await freePort(), await freePort()]
    const cjs = await sup.start({ name: 'cjs', script: fixture('http-server.cjs'), mode: 'cluster', instances: 2, env: { PORT: cjsPort } })
    const esm = await sup.start({ name: 'esm', script: fixture('http-server.mjs'), mode: 'cluster', instances: 2, env: { PORT: esmPort } })
    expect([...cjs, ...esm].map((info) => [info.mode, info.status])).toEqual(Array(4).fill(['cluster', 'online']))
    const seen = new Set<number>()
    for (let i = 0; i < 40 && seen.size < 2; i++) seen.add([...pidsOf([await get(cjsPort)])][0]!)
    expect(seen).toEqual(new Set(cjs.map((info) => info.pid)))
    const body = JSON.parse(await get(esmPort)) as { esm: boolean; pid: number }
    expect(body.esm).toBe(true)
    expect(esm.map((info) => info.pid)).toContain(body.pid)
  })

  it.each([
    [2, 'http-server.cjs', []],
    [4, 'slow-http.cjs', ['100']], // every request is in flight for 100 ms: the old workers must finish them
  ])('reloads %i workers under load with zero failed requests, and every worker pid changes (%s)', async (instances, script, args) => {
    const sup = supervisor()
    const port = await freePort()
    const before = await sup.start({ name: 'web', script: fixture(script), args, mode: 'cluster', instances, env: { PORT: port } })
    await waitForHttp(port)
    const load = startLoad(port, { concurrency: 3 })
    await until(() => load.completed() >= 20, { message: 'the load to get going' })
    const after = await sup.reload('web')
    const result = await load.stop()
    expect(result.errors).toEqual([])
    expect(result.failed).toBe(0)
    // the load ran across the reload: it was answered by old and by new workers
    const answered = pidsOf(result.bodies)
    expect(before.some((info) => answered.has(info.pid!))).toBe(true)
    expect(after.some((info) => answered.has(info.pid!))).toBe(true)
    expect(after.map((info) => info.status)).toEqual(Array(instances).fill('online'))
    for (const [i, info] of after.entries()) {
      expect(info.id).toBe(before[i]!.id)
      expect(info.pid).not.toBe(before[i]!.pid)
      expect(isAlive(before[i]!.pid!)).toBe(false)
    }
  })

  it('sends no new connection to a worker once its replacement is online (the primary stops routing to it before it drains)', async () => {
    const sup = supervisor()
    const port = await freePort()
    const [first] = await sup.start({ name: 'web', script: fixture('http-server.cjs'), mode: 'cluster', instances: 2, env: { PORT: port } })
    await waitForHttp(port)
    // The replacement's process:online and the old worker's stop happen in one turn of the event loop, so a
    // request this process starts after the event connects after the stop: none may reach the old worker.
    let handedOver = Infinity
    const onOnline = ({ process }: { process: { id: number; pid: number | null } }): void => {
      if (process.id === first!.id && process.pid !== first!.pid && handedOver === Infinity) handedOver = performance.now()
    }
    sup.on('process:online', onOnline)
    const answered: { started: number; pid: number }[] = []
    let running = true
    const loop = async (): Promise<void> => {
      while (running) {
        const started = performance.now()
        answered.push({ started, pid: [...pidsOf([await get(port)])][0]! })
      }
    }
    const loops = [loop(), loop(), loop()]
    await until(() => answered.length >= 20, { message: 'the load to get going' })
    await sup.reload('web')
    running = false
    await Promise.all(loops)
    sup.off('process:online', onOnline)
    expect(handedOver).toBeLessThan(Infinity)
    const after = answered.filter((request) => request.started > handedOver)
    expect(after.length).toBeGreaterThan(0)
    expect(answered.some((request) => request.pid === first!.pid)).toBe(true) // it did serve before
    expect(after.filter((request) => request.pid === first!.pid)).toEqual([])
  })

  it('drains a worker whose client holds an idle keep-alive connection without waiting for SIGKILL', async () => {
    const sup = supervisor()
    const port = await freePort()
    const [before] = await sup.start({
      name: 'web',
      script: fixture('long-keepalive-http.cjs'),
      mode: 'cluster',
      killTimeout: 10_000,
      env: { PORT: port },
    })
    const http = await import('node:http')
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 })
    await get(port, agent) // the connection stays open, idle, and is never used again
    const exit = nextEvent(sup, 'process:exit', (event) => event.process.pid === before!.pid)
    await sup.reload('web')
    // with a 10 s kill timeout, only the drain's grace close (1 s at most) ends it gracefully
    expect(await exit).toMatchObject({ reason: 'reload' })
    expect((await exit).signal).not.toBe('SIGKILL')
    agent.destroy()
  })

  it('keeps the old workers serving when the new version fails to boot, and reload rejects', async () => {
    const sup = supervisor()
    const port = await freePort()
    const dir = (await import('node:fs')).mkdtempSync(`${(await import('node:os')).tmpdir()}/tend-broken-`)
    const { copyFileSync, rmSync } = await import('node:fs')
    const script = `${dir}/app.cjs`
    copyFileSync(fixture('http-server.cjs'), script)
    try {
      const before = await sup.start({ name: 'web', script, mode: 'cluster', instances: 2, env: { PORT: port }, maxRestarts: 0 })
      await waitForHttp(port)
      copyFileSync(fixture('throws-at-start.cjs'), script) // the broken release
      const load = startLoad(port)
      await expect(sup.reload('web')).rejects.toBeInstanceOf(ExitedError)
      const result = await load.stop()
      expect(result.failed).toBe(0)
      const now = sup.describe('web')
      expect(now.map((info) => [info.pid, info.status])).toEqual(before.map((info) => [info.pid, 'online']))
      expect(pidsOf([await get(port)]).size).toBe(1)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('waits for ready with waitReady, and keeps a never-ready worker up as online, not confirmed ready', async () => {
    const sup = supervisor()
    const port = await freePort()
    const [late] = await sup.start({
      name: 'late',
      script: fixture('ready-http.cjs'),
      args: ['300'],
      mode: 'cluster',
      waitReady: true,
      env: { PORT: port },
    })
    expect(late!.status).toBe('online')
    expect(late!.confirmedReady).toBe(true)
    const [never] = await sup.start({
      name: 'never',
      script: fixture('ready-http.cjs'),
      args: ['never'],
      mode: 'cluster',
      waitReady: true,
      listenTimeout: 500,
      env: { PORT: await freePort() },
    })
    expect(never).toMatchObject({ status: 'online', confirmedReady: false })
  })

  it('scales 2 → 4 → 1 while the port keeps answering', async () => {
    const sup = supervisor()
    const port = await freePort()
    await sup.start({ name: 'web', script: fixture('http-server.cjs'), mode: 'cluster', instances: 2, env: { PORT: port } })
    await waitForHttp(port)
    const load = startLoad(port)
    const up = await sup.scale('web', 4)
    expect(up.map((info) => info.instance)).toEqual([0, 1, 2, 3])
    expect(up.every((info) => info.status === 'online')).toBe(true)
    const removed = up.filter((info) => info.instance > 0)
    const down = await sup.scale('web', '-3')
    const result = await load.stop()
    expect(result.errors).toEqual([])
    expect(down.map((info) => info.instance)).toEqual([0])
    for (const info of removed) expect(isAlive(info.pid!)).toBe(false)
    expect(sup.describe('web')[0]!.spec.instances).toBe(1)
    await expect(sup.scale('web', 'lots')).rejects.toMatchObject({ code: 'TEND_ERR_INVALID_ARGUMENT' })
    await expect(sup.scale('nope', 2)).rejects.toMatchObject({ code: 'TEND_ERR_NOT_FOUND' })
  })

  it('reports an uncaught exception of a worker and passes interpreterArgs as execArgv', async () => {
    const sup = supervisor()
    const exception = nextEvent(sup, 'process:exception')
    const failure = sup.start({ name: 'boom', script: fixture('throws-at-start.cjs'), mode: 'cluster', maxRestarts: 0 })
    await expect(failure).rejects.toMatchObject({ code: 'TEND_ERR_CRASH_LOOP' })
    expect((await exception).error.message).toBe('boom: broken release')

    await sup.start({
      name: 'flags',
      script: fixture('print-execargv.cjs'),
      args: ['--an arg', 'two'],
      mode: 'cluster',
      interpreterArgs: ['--max-old-space-size=64'],
      env: { PORT: await freePort() },
    })
    await waitForLine(sup, 'flags', /^execArgv=\["--max-old-space-size=64"\]$/)
    await waitForLine(sup, 'flags', /^argv=\["--an arg","two"\]$/)
  })

  it('keeps two Supervisors with cluster apps on different ports apart', async () => {
    const a = supervisor()
    const b = supervisor()
    const [portA, portB] = [await freePort(), await freePort()]
    const inA = await a.start({ name: 'app', script: fixture('http-server.cjs'), mode: 'cluster', instances: 2, env: { PORT: portA } })
    const inB = await b.start({ name: 'app', script: fixture('http-server.mjs'), mode: 'cluster', instances: 1, env: { PORT: portB } })
    expect(pidsOf([await get(portB)])).toEqual(new Set([inB[0]!.pid]))
    expect(inA.map((info) => info.pid)).toContain([...pidsOf([await get(portA)])][0])
    await a.close()
    expect((JSON.parse(await get(portB)) as { esm: boolean }).esm).toBe(true)
    expect(b.list()[0]!.status).toBe('online')
  })

  it('restarts a cluster app one worker at a time, so the port keeps answering', async () => {
    const sup = supervisor()
    const port = await freePort()
    const before = await sup.start({ name: 'web', script: fixture('http-server.cjs'), mode: 'cluster', instances: 2, env: { PORT: port } })
    await waitForHttp(port)
    const load = startLoad(port)
    const after = await sup.restart('web')
    const result = await load.stop()
    expect(result.errors).toEqual([])
    expect(after.map((info) => info.pid)).not.toContain(before[0]!.pid)
  })
})
