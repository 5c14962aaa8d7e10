import { describe, expect, it } from 'vitest'
import { NotFoundError } from '../../src/index.js'
import { expectGoneAfterTest, fixture, isAlive, nextEvent, supervisor, until, waitForLine } from '../helpers.js'

describe('fork mode', () => {
  it('runs a shell script with bash and a binary with interpreter none', async () => {
    const sup = supervisor()
    const [sh] = await sup.start({ name: 'sh', script: fixture('hello.sh') })
    const [bin] = await sup.start({ name: 'bin', script: 'sleep', interpreter: 'none', args: ['600'] })
    expect(sup.describe('sh')[0]!.spec.interpreter).toBe('bash')
    expect(sup.describe('bin')[0]!.spec.interpreter).toBeNull()
    await waitForLine(sup, 'sh', /hello from sh \d+/)
    expect(isAlive(sh!.pid!)).toBe(true)
    expect(isAlive(bin!.pid!)).toBe(true)

    const [restartedSh] = await sup.restart('sh')
    expect(restartedSh!.pid).not.toBe(sh!.pid)
    await sup.stop(['sh', 'bin'])
    expect(isAlive(sh!.pid!)).toBe(false)
    expect(isAlive(bin!.pid!)).toBe(false)
    await sup.delete('all')
    expect(sup.list()).toEqual([])
  })

  it('runs a python script with python3', async () => {
    const sup = supervisor()
    const [py] = await sup.start({ name: 'py', script: fixture('hello.py') })
    expect(sup.describe('py')[0]!.spec.interpreter).toBe('python3')
    await waitForLine(sup, 'py', /hello from python/)
    await sup.stop('py')
    expect(isAlive(py!.pid!)).toBe(false)
  })

  it('SIGKILLs a child that ignores the stop signal after killTimeout', async () => {
    const sup = supervisor()
    const [info] = await sup.start({ name: 'stubborn', script: fixture('ignore-signals.cjs'), killTimeout: 300 })
    await waitForLine(sup, 'stubborn', /stubborn/)
    const exit = nextEvent(sup, 'process:exit')
    await sup.stop('stubborn')
    const event = await exit
    expect(event).toMatchObject({ reason: 'stop', signal: 'SIGKILL', forced: true })
    expect(sup.logs('stubborn').map((line) => line.line)).toContain('ignoring SIGINT')
    expect(isAlive(info!.pid!)).toBe(false)
  })

  it('stops a grandchild together with its parent', async () => {
    const sup = supervisor()
    const [info] = await sup.start({ name: 'parent', script: fixture('spawn-grandchild.cjs') })
    const match = await waitForLine(sup, 'parent', /grandchild (\d+)/)
    const grandchild = Number(match[1])
    expectGoneAfterTest(grandchild)
    expect(isAlive(grandchild)).toBe(true)
    await sup.stop('parent')
    expect(isAlive(info!.pid!)).toBe(false)
    // The group's SIGKILL is sent as the parent exits; the kernel finishes it a moment later.
    await until(() => !isAlive(grandchild), { timeout: 5_000, message: 'the grandchild to die' })
  })

  it('stops with the shutdown message when shutdownWithMessage is set', async () => {
    const sup = supervisor()
    await sup.start({
      name: 'web',
      script: fixture('http-server.cjs'),
      shutdownWithMessage: true,
      killSignal: 'SIGKILL',
      killTimeout: 10_000,
    })
    const exit = nextEvent(sup, 'process:exit')
    await sup.stop('web')
    // The app exits 0 by itself on 'shutdown'; SIGKILL would have shown as the signal.
    expect(await exit).toMatchObject({ code: 0, signal: null, reason: 'stop', forced: false })
  })

  it('runs N instances with their instance index and incrementVar', async () => {
    const sup = supervisor()
    const infos = await sup.start({
      name: 'env',
      script: fixture('print-env.cjs'),
      args: ['NODE_APP_INSTANCE', 'PORT', 'GREETING', 'FROM_HOST'],
      instances: 3,
      env: { PORT: 4000, GREETING: 'hi there', DEBUG_FLAG: true },
      incrementVar: 'PORT',
    })
    expect(infos.map((info) => info.instance)).toEqual([0, 1, 2])
    expect(new Set(infos.map((info) => info.id)).size).toBe(3)
    for (const info of infos) {
      await waitForLine(sup, info.id, new RegExp(`^NODE_APP_INSTANCE=${info.instance}$`))
      await waitForLine(sup, info.id, new RegExp(`^PORT=${4000 + info.instance}$`))
      await waitForLine(sup, info.id, /^GREETING=hi there$/)
    }
  })

  it("passes the supervisor's environment under the spec's env", async () => {
    const sup = supervisor({ env: { ...process.env, FROM_HOST: 'host', OVERRIDDEN: 'host' } })
    await sup.start({ name: 'env', script: fixture('print-env.cjs'), args: ['FROM_HOST', 'OVERRIDDEN'], env: { OVERRIDDEN: 'spec' } })
    await waitForLine(sup, 'env', /^FROM_HOST=host$/)
    await waitForLine(sup, 'env', /^OVERRIDDEN=spec$/)
  })

  it('sends and receives IPC messages, and signals a process', async () => {
    const sup = supervisor()
    const [info] = await sup.start({ name: 'echo', script: fixture('ipc-echo.cjs') })
    const reply = nextEvent(sup, 'process:message')
    const sent = await sup.send('echo', { hello: 1 })
    expect(sent.map((p) => p.id)).toEqual([info!.id])
    expect((await reply).message).toEqual({ echo: { hello: 1 } })

    const exit = nextEvent(sup, 'process:exit')
    await sup.signal(info!.id, 'SIGTERM')
    expect(await exit).toMatchObject({ signal: 'SIGTERM', reason: 'crash' })
  })

  it('resolves targets by id, name, namespace, all and arrays', async () => {
    const sup = supervisor()
    await sup.start([
      { name: 'a', script: fixture('long-running.cjs'), namespace: 'blue', instances: 2 },
      { name: 'b', script: fixture('long-running.cjs'), namespace: 'blue' },
      { name: 'c', script: fixture('long-running.cjs') },
    ])
    const ids = (target: Parameters<typeof sup.describe>[0]) => sup.describe(target).map((info) => info.id)
    expect(ids('a')).toEqual([0, 1])
    expect(ids(2)).toEqual([2])
    expect(ids('2')).toEqual([2])
    expect(ids('blue')).toEqual([0, 1, 2])
    expect(ids('all')).toEqual([0, 1, 2, 3])
    expect(ids(['c', 0])).toEqual([0, 3])
    expect(() => sup.describe('nope')).toThrow(NotFoundError)
    expect(() => sup.describe(['a', 'nope'])).toThrow(NotFoundError)
    await expect(sup.stop(42)).rejects.toMatchObject({ code: 'TEND_ERR_NOT_FOUND' })
    const stopped = await sup.stop('blue')
    expect(stopped.map((info) => info.status)).toEqual(['stopped', 'stopped', 'stopped'])
    expect(sup.describe('c')[0]!.status).toBe('online')
  })

  it('registers without launching when autostart is false', async () => {
    const sup = supervisor()
    const [info] = await sup.start({ name: 'later', script: fixture('long-running.cjs'), autostart: false })
    expect(info).toMatchObject({ status: 'stopped', pid: null })
    const [started] = await sup.restart('later')
    expect(started!.status).toBe('online')
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
})
