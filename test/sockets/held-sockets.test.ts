/**
 * Sockets held by the supervisor, with real processes: reloads under load
 * drop nothing (node and Python), a SIGKILL refuses nothing, instances share
 * one socket, delete frees the port, and a port in use is TEND_ERR_LISTEN.
 */
import { spawn } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import net from 'node:net'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { InvalidSpecError, ListenError } from '../../src/index.js'
import { fixture, onCleanup, supervisor, tempDir, until, waitForLine } from '../helpers.js'
import { freePort, get, startLoad, waitForHttp } from '../http-load.js'

const LOOPBACK = '127.0.0.1'

/** Resolves true when the port can be bound (nobody holds it), false on EADDRINUSE. */
function canBind(port: number): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer()
    probe.once('error', (error: NodeJS.ErrnoException) => (error.code === 'EADDRINUSE' ? resolve(false) : reject(error)))
    probe.listen(port, LOOPBACK, () => probe.close(() => resolve(true)))
  })
}

/** A process of the test's own that holds 127.0.0.1:port. */
async function holdPort(port: number): Promise<number> {
  const child = spawn(process.execPath, ['-e', `require('net').createServer().listen(${port}, '${LOOPBACK}', () => console.log('held'))`], {
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  onCleanup(
    () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve()
        child.once('exit', () => resolve())
        child.kill('SIGKILL')
      }),
  )
  await new Promise<void>((resolve, reject) => {
    child.stdout.once('data', () => resolve())
    child.once('exit', (code) => reject(new Error(`the port holder exited with ${code}`)))
  })
  return child.pid!
}

describe('listen: sockets held by the supervisor', () => {
  it('reloads a node app that calls listen(process.env.PORT) 20 times under keep-alive and new-connection load: 0 failed requests', async () => {
    const sup = supervisor()
    const [info] = await sup.start({ name: 'web', script: fixture('held-http.cjs'), listen: `${LOOPBACK}:0` })
    const { port } = info!.sockets[0]!
    expect(info!.sockets).toEqual([{ name: `port-${port}`, host: LOOPBACK, port, fd: 3 }])
    await waitForHttp(port)
    // bounded in count, with room for 20 reloads on a fast machine (the default 200,000 can run out first)
    const load = startLoad(port, { concurrency: 3, maxRequests: 2_000_000 })
    await until(() => load.completed() >= 20, { message: 'the load to get going' })
    const pids = new Set<number>([info!.pid!])
    for (let i = 0; i < 20; i++) {
      const before = load.completed()
      const [after] = await sup.reload('web')
      pids.add(after!.pid!)
      // every old instance served some of the load before it went
      await until(() => load.completed() > before + 5, { timeout: 20_000, message: `load after reload ${i + 1}` })
    }
    const result = await load.stop()
    expect(result.errors).toEqual([])
    expect(result.failed).toBe(0)
    expect(pids.size).toBe(21)
    expect(result.ok).toBeGreaterThan(100)
  }, 180_000)

  it('reloads a Python app that uses LISTEN_FDS 20 times under load: 0 failed requests', async () => {
    const sup = supervisor()
    const [info] = await sup.start({
      name: 'py',
      script: fixture('listen-fds.py'),
      listen: { host: LOOPBACK, port: 0, name: 'web' },
      minUptime: 300,
      killTimeout: 5000,
    })
    const { port } = info!.sockets[0]!
    await waitForLine(sup, 'py', /serving on \d+ \(LISTEN_FDS=1\)/)
    await waitForHttp(port)
    const load = startLoad(port, { concurrency: 3 })
    await until(() => load.completed() >= 20, { message: 'the load to get going' })
    const pids = new Set<number>([info!.pid!])
    for (let i = 0; i < 20; i++) {
      const before = load.completed()
      const [after] = await sup.reload('py')
      pids.add(after!.pid!)
      await until(() => load.completed() > before + 5, { timeout: 20_000, message: `load after reload ${i + 1}` })
    }
    const result = await load.stop()
    expect(result.errors).toEqual([])
    expect(result.failed).toBe(0)
    expect(pids.size).toBe(21)
    // answered by many of the Python processes, not one
    expect(new Set(result.bodies).size).toBeGreaterThan(10)
  }, 240_000)

  it('queues new connections while a SIGKILLed instance restarts: 0 ECONNREFUSED', async () => {
    const sup = supervisor()
    const [info] = await sup.start({ name: 'web', script: fixture('held-http.cjs'), listen: `${LOOPBACK}:0` })
    const { port } = info!.sockets[0]!
    await waitForHttp(port)
    const load = startLoad(port, { concurrency: 4 })
    let pid = info!.pid!
    for (let kill = 0; kill < 3; kill++) {
      await until(() => load.completed() >= 20 * (kill + 1), { message: 'the load to get going' })
      process.kill(pid, 'SIGKILL')
      const now = (): { pid: number | null; status: string } => sup.describe('web')[0]!
      await until(() => now().pid !== pid && now().status === 'online', { timeout: 20_000, message: 'the restarted instance' })
      pid = now().pid!
    }
    await until(() => load.completed() >= 100, { message: 'load after the last restart' })
    const result = await load.stop()
    // Requests in flight on the killed process may fail (reset); none is refused.
    expect(result.errors.filter((message) => message.includes('ECONNREFUSED'))).toEqual([])
    expect(result.ok).toBeGreaterThan(result.failed)
    expect(sup.describe('web')[0]!.restarts).toBe(3)
  }, 120_000)

  it('two instances share one socket and both serve', async () => {
    const sup = supervisor()
    const started = await sup.start({ name: 'web', script: fixture('held-http.cjs'), listen: `${LOOPBACK}:0`, instances: 2 })
    const { port } = started[0]!.sockets[0]!
    expect(started[1]!.sockets[0]!.port).toBe(port)
    const seen = new Set<string>()
    // new connections, several at a time, until the kernel has given some to each
    for (let round = 0; round < 200 && seen.size < 2; round++) {
      for (const body of await Promise.all(Array.from({ length: 8 }, () => get(port)))) seen.add(body)
    }
    expect(seen).toEqual(new Set(started.map((info) => String(info.pid))))
  }, 60_000)

  it('closes the socket on delete: the port is free again', async () => {
    const sup = supervisor()
    const port = await freePort()
    await sup.start({ name: 'web', script: fixture('held-http.cjs'), listen: { host: LOOPBACK, port } })
    await waitForHttp(port)
    expect(await canBind(port)).toBe(false)
    await sup.stop('web')
    // stopped, not deleted: the socket is still held (connections wait)
    expect(await canBind(port)).toBe(false)
    await sup.delete('web')
    expect(await canBind(port)).toBe(true)
  }, 60_000)

  it('closes every socket on close()', async () => {
    const sup = supervisor()
    const [info] = await sup.start({ name: 'web', script: fixture('held-http.cjs'), listen: [`${LOOPBACK}:0`, `${LOOPBACK}:0`] })
    const ports = info!.sockets.map((socket) => socket.port)
    await sup.close()
    for (const port of ports) expect(await canBind(port)).toBe(true)
  }, 60_000)

  it('rejects a port in use with TEND_ERR_LISTEN naming the address and the holder, and binds nothing', async () => {
    const sup = supervisor()
    const taken = await freePort()
    const holder = await holdPort(taken)
    const free = await freePort() // asked once taken is held, so never the same port
    const error = await sup
      .start({ name: 'web', script: fixture('held-http.cjs'), listen: [`${LOOPBACK}:${free}`, `${LOOPBACK}:${taken}`] })
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ListenError)
    expect(error).toMatchObject({
      code: 'TEND_ERR_LISTEN',
      reason: 'in-use',
      address: `${LOOPBACK}:${taken}`,
      errno: 'EADDRINUSE',
      app: 'web',
    })
    expect((error as ListenError).holder?.pid).toBe(holder)
    expect((error as Error).message).toContain(`pid ${holder}`)
    // nothing half-bound, nothing registered
    expect(await canBind(free)).toBe(true)
    expect(sup.list()).toEqual([])
  }, 60_000)

  it('rejects an address no interface has, and a host that is not an address', async () => {
    const sup = supervisor()
    // 192.0.2.0/24 is TEST-NET-1: never assigned to a host
    await expect(sup.start({ name: 'web', script: fixture('held-http.cjs'), listen: '192.0.2.1:0' })).rejects.toMatchObject({
      code: 'TEND_ERR_LISTEN',
      reason: 'address-unavailable',
      errno: 'EADDRNOTAVAIL',
    })
    await expect(sup.start({ name: 'web', script: fixture('held-http.cjs'), listen: 'example.com:3000' })).rejects.toBeInstanceOf(
      InvalidSpecError,
    )
    expect(sup.list()).toEqual([])
  }, 30_000)

  it('hands over with the socket-activation protocol: fd 3, LISTEN_FDS, LISTEN_FDNAMES, LISTEN_PID = the pid, PORT', async () => {
    const sup = supervisor()
    const [info] = await sup.start({
      name: 'sh',
      script: fixture('print-listen-env.sh'),
      listen: [
        { host: LOOPBACK, port: 0, name: 'web' },
        { host: LOOPBACK, port: 0, name: 'admin' },
      ],
      minUptime: 200,
    })
    const [web, admin] = info!.sockets
    const [line] = await waitForLine(sup, 'sh', /^pid=.*/)
    expect(line).toMatch(
      new RegExp(
        `^pid=${info!.pid} LISTEN_PID=${info!.pid} LISTEN_FDS=2 LISTEN_FDNAMES=web:admin PORT=${web!.port} fd3=socket:\\[\\d+\\]$`,
      ),
    )
    expect(admin!.fd).toBe(4)
  }, 30_000)

  it('gives a node app its IPC channel after the sockets, so fd 3 is the socket and messages still flow', async () => {
    const sup = supervisor()
    const [info] = await sup.start({ name: 'ipc', script: fixture('held-http-ipc.cjs'), listen: `${LOOPBACK}:0`, waitReady: true })
    const [line] = await waitForLine(sup, 'ipc', /^fd3=.*/)
    // fd 3 the held socket, fd 4 the IPC channel (a socket pair), which carried 'ready'
    const match = new RegExp(`^fd3=(socket:\\[\\d+\\]) fd4=(socket:\\[\\d+\\]) LISTEN_PID=${info!.pid} pid=${info!.pid}$`).exec(line)
    expect(match).not.toBeNull()
    expect(match![1]).not.toBe(match![2])
    expect(await get(info!.sockets[0]!.port)).toBe(String(info!.pid))
  }, 30_000)

  it('refuses listen in cluster mode with the reason', async () => {
    const sup = supervisor()
    const error = await sup.start({ name: 'c', script: fixture('held-http.cjs'), mode: 'cluster', listen: 3000 }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(InvalidSpecError)
    expect(error).toMatchObject({ option: 'listen' })
    expect((error as Error).message).toMatch(/fork mode/)
  })

  it('rolls a failed reload back: the replacement crashes at start, the old instance keeps serving, nothing is refused', async () => {
    const sup = supervisor()
    const flag = join(tempDir(), 'flag')
    writeFileSync(flag, 'ok')
    const [info] = await sup.start({ name: 'web', script: fixture('held-http-unless-flag.cjs'), args: [flag], listen: `${LOOPBACK}:0` })
    const { port } = info!.sockets[0]!
    await waitForHttp(port)
    const load = startLoad(port, { concurrency: 2 })
    await until(() => load.completed() >= 20, { message: 'the load to get going' })
    writeFileSync(flag, 'crash')
    await expect(sup.reload('web')).rejects.toMatchObject({ code: 'TEND_ERR_EXITED' })
    const completed = load.completed()
    await until(() => load.completed() > completed + 20, { message: 'load after the failed reload' })
    const result = await load.stop()
    expect(result.failed).toBe(0)
    expect(new Set(result.bodies)).toEqual(new Set([String(info!.pid)]))
    expect(sup.describe('web')[0]).toMatchObject({ pid: info!.pid, status: 'online' })
  }, 60_000)

  it('serves through the explicit tendjs/http forms: adopt() by name, drain() from the app’s own handler', async () => {
    const sup = supervisor()
    const [info] = await sup.start({
      name: 'explicit',
      script: fixture('held-http-explicit.mts'),
      interpreterArgs: ['--import', 'tsx'],
      listen: [
        { host: LOOPBACK, port: 0, name: 'admin' },
        { host: LOOPBACK, port: 0, name: 'web' },
      ],
      killSignal: 'SIGTERM',
      listenTimeout: 20_000,
    })
    await waitForLine(sup, 'explicit', /adopted fd 4/)
    const web = info!.sockets.find((socket) => socket.name === 'web')!
    expect(await get(web.port)).toBe(`${info!.pid} admin,web`)
    const load = startLoad(web.port, { concurrency: 2 })
    await until(() => load.completed() >= 20, { message: 'the load to get going' })
    const [after] = await sup.reload('explicit')
    await waitForLine(sup, 'explicit', /^drained$/)
    const completed = load.completed()
    await until(() => load.completed() > completed + 20, { message: 'load after the reload' })
    const result = await load.stop()
    expect(result.errors).toEqual([])
    expect(result.bodies).toContain(`${after!.pid} admin,web`)
  }, 60_000)
})
