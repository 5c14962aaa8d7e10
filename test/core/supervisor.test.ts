import { describe, expect, it } from 'vitest'
import { ClosedError, ExistsError, InvalidArgumentError, SpawnError, Supervisor } from '../../src/index.js'
import { fixture, isAlive, nextEvent, supervisor, until, waitForLine } from '../helpers.js'

describe('Supervisor', () => {
  it('waits for the ready message when waitReady is set', async () => {
    const sup = supervisor()
    const launched = Date.now()
    const [info] = await sup.start({ name: 'late', script: fixture('ready-after.cjs'), args: ['400'], waitReady: true })
    expect(info!.status).toBe('online')
    expect(Date.now() - launched).toBeGreaterThanOrEqual(390)
  })

  it('keeps a first start that never sends ready up as online, not confirmed ready, as PM2 (docs/readiness.md)', async () => {
    const sup = supervisor()
    const [info] = await sup.start({
      name: 'never',
      script: fixture('ready-after.cjs'),
      args: ['never'],
      waitReady: true,
      listenTimeout: 300,
    })
    expect(info).toMatchObject({ name: 'never', status: 'online', confirmedReady: false })
    expect(info!.pid).not.toBeNull()
    await sup.delete('never')
    expect(sup.list()).toEqual([])
  })

  it('reports a spawn failure as SpawnError and keeps working', async () => {
    const sup = supervisor()
    const failure = sup.start({ name: 'nointerp', script: fixture('hello.py'), interpreter: 'no-such-interpreter-tend' })
    await expect(failure).rejects.toBeInstanceOf(SpawnError)
    await expect(failure).rejects.toMatchObject({ code: 'TEND_ERR_SPAWN', errno: 'ENOENT' })
    expect(sup.list()[0]).toMatchObject({ status: 'errored' })
    const [ok] = await sup.start({ name: 'ok', script: fixture('long-running.cjs') })
    expect(ok!.status).toBe('online')
  })

  it('rejects a second app with the same name and keeps the first', async () => {
    const sup = supervisor()
    const [first] = await sup.start({ name: 'one', script: fixture('long-running.cjs') })
    await expect(sup.start({ name: 'one', script: fixture('long-running.cjs') })).rejects.toBeInstanceOf(ExistsError)
    expect(sup.list()).toHaveLength(1)
    expect(sup.list()[0]!.pid).toBe(first!.pid)
  })

  it('rejects a scale() with wrong-typed arguments as InvalidArgumentError, before touching the app', async () => {
    const sup = supervisor()
    await sup.start({ name: 'app', script: fixture('long-running.cjs') })
    await expect(sup.scale(42 as unknown as string, 2)).rejects.toBeInstanceOf(InvalidArgumentError)
    await expect(sup.scale('app', { count: 2 } as unknown as number)).rejects.toMatchObject({ code: 'TEND_ERR_INVALID_ARGUMENT' })
    await expect(sup.scale('app', '-2')).rejects.toMatchObject({ code: 'TEND_ERR_INVALID_ARGUMENT' })
    await expect(sup.scale('nope', 2)).rejects.toMatchObject({ code: 'TEND_ERR_NOT_FOUND' })
    expect(sup.list()).toHaveLength(1)
  })

  it('keeps two Supervisors apart', async () => {
    const a = supervisor()
    const b = supervisor()
    const [inA] = await a.start({ name: 'same', script: fixture('long-running.cjs') })
    const [inB] = await b.start({ name: 'same', script: fixture('long-running.cjs'), instances: 2 })
    expect(a.list()).toHaveLength(1)
    expect(b.list()).toHaveLength(2)
    expect(inA!.id).toBe(0)
    expect(inB!.id).toBe(0)
    const seenByA: number[] = []
    a.on('process:exit', (event) => seenByA.push(event.process.id))
    await b.stop('same')
    expect(seenByA).toEqual([])
    expect(a.list()[0]!.status).toBe('online')
    await a.close()
    expect(isAlive(inA!.pid!)).toBe(false)
    expect(b.list()).toHaveLength(2)
  })

  it('close() stops everything, is idempotent and refuses new work', async () => {
    const sup = new Supervisor()
    const infos = await sup.start([
      { name: 'a', script: fixture('long-running.cjs'), instances: 2 },
      { name: 'b', script: fixture('ignore-signals.cjs'), killTimeout: 200 },
    ])
    // one waiting for a restart far in the future: its timer must not outlive close()
    await sup.start({ name: 'c', script: fixture('long-running.cjs'), restartDelay: 3_600_000 })
    const restart = nextEvent(sup, 'process:restart')
    process.kill(sup.describe('c')[0]!.pid!, 'SIGKILL')
    await restart
    const first = sup.close()
    const second = sup.close()
    expect(second).toBe(first)
    await first
    for (const info of infos) expect(isAlive(info.pid!)).toBe(false)
    expect(sup.list().map((info) => info.status)).toEqual(['stopped', 'stopped', 'stopped', 'stopped'])
    await expect(sup.start({ name: 'x', script: fixture('long-running.cjs') })).rejects.toBeInstanceOf(ClosedError)
    await expect(sup.restart('a')).rejects.toMatchObject({ code: 'TEND_ERR_CLOSED' })
  })

  it('supports await using', async () => {
    let pid = 0
    {
      await using sup = new Supervisor()
      const [info] = await sup.start({ name: 'scoped', script: fixture('long-running.cjs') })
      pid = info!.pid!
      expect(isAlive(pid)).toBe(true)
    }
    await until(() => !isAlive(pid), { message: 'the scoped child to be gone' })
  })

  it('frames output into lines across chunks and keeps a partial last line', async () => {
    const sup = supervisor()
    const lines: string[] = []
    sup.on('log:out', (event) => lines.push(event.line))
    const [info] = await sup.start({ name: 'printer', script: fixture('print-lines.cjs'), args: ['50'] })
    await waitForLine(sup, 'printer', /^line 49$/)
    expect(lines).toEqual(Array.from({ length: 50 }, (_, i) => `line ${i}`))
    await waitForLine(sup, 'printer', /^to stderr$/)
    await sup.stop('printer')
    // the partial tail is written when the stream ends
    await waitForLine(sup, 'printer', /^partial-tail$/)
    expect(lines.at(-1)).toBe('partial-tail')
    const recent = sup.logs(info!.id, { lines: 3 })
    expect(recent.map((line) => line.line)).toEqual(['line 48', 'line 49', 'partial-tail'])
    expect(recent[0]).toMatchObject({ id: info!.id, name: 'printer', stream: 'out' })
    expect(
      sup
        .logs('printer', { lines: 1000 })
        .filter((line) => line.stream === 'err')
        .map((line) => line.line),
    ).toEqual(['to stderr'])
  })

  it('delivers the same events on the wildcard bus', async () => {
    const sup = supervisor()
    const names: string[] = []
    sup.bus.on('process:*', function (this: { event: string }) {
      names.push(this.event)
    })
    const logs: string[] = []
    sup.bus.on('log:*', (event: { line: string }) => logs.push(event.line))
    await sup.start({ name: 'bus', script: fixture('long-running.cjs') })
    await until(() => logs.length > 0, { message: 'a log line on the bus' })
    await sup.stop('bus')
    expect(names).toEqual(['process:spawn', 'process:online', 'process:exit', 'process:stopped'])
    expect(logs[0]).toMatch(/^started/)
  })

  it('rejects with the abort reason when the signal is aborted', async () => {
    const sup = supervisor()
    const controller = new AbortController()
    const reason = new Error('changed my mind')
    const pending = sup.start(
      { name: 'slow', script: fixture('ready-after.cjs'), args: ['never'], waitReady: true, listenTimeout: 30_000 },
      { signal: controller.signal },
    )
    await nextEvent(sup, 'process:spawn')
    controller.abort(reason)
    await expect(pending).rejects.toBe(reason)
    await expect(sup.stop('slow', { signal: AbortSignal.abort(reason) })).rejects.toBe(reason)
  })

  it('waitFor resolves when processes reach a status', async () => {
    const sup = supervisor()
    const [info] = await sup.start({ name: 'w', script: fixture('long-running.cjs'), restartDelay: 300 })
    await expect(sup.waitFor('w', 'online')).resolves.toHaveLength(1)
    process.kill(info!.pid!, 'SIGKILL')
    await sup.waitFor('w', 'waiting-restart', { timeout: 10_000 })
    const [back] = await sup.waitFor('w', 'online', { timeout: 10_000 })
    expect(back!.pid).not.toBe(info!.pid)
  })
})
