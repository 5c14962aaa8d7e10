import { statSync } from 'node:fs'
import { dirname } from 'node:path'
import { describe, expect, it } from 'vitest'
import { NotFoundError, InvalidSpecError, type ProcessExitEvent } from '../../../src/index.js'
import { connect, MAX_FRAME_BYTES, RpcError, RpcTimeoutError, serve, SocketError } from '../../../src/rpc.js'
import { fixture, isAlive, until } from '../../helpers.js'
import { rawSocket, served } from './rpc-helpers.js'

describe('RPC', () => {
  it('creates the socket 0600 in a 0700 directory and answers the Supervisor methods', async () => {
    const { socketPath, client } = await served()
    expect(statSync(socketPath).mode & 0o777).toBe(0o600)
    expect(statSync(dirname(socketPath)).mode & 0o777).toBe(0o700)
    const remote = await client()
    const [started] = await remote.start({ name: 'lr', script: fixture('long-running.cjs') })
    expect(started).toMatchObject({ name: 'lr', status: 'online' })
    const listed = await remote.list()
    expect(listed.map((info) => info.pid)).toEqual([started!.pid])
    // An omitted leading argument travels as null and gets its default ('all').
    await expect(remote.logs(undefined, { lines: 5 })).resolves.toEqual(expect.any(Array))
    await remote.stop('lr')
    expect((await remote.describe('lr'))[0]!.status).toBe('stopped')
    await remote.delete('lr')
    expect(await remote.list()).toEqual([])
    expect(isAlive(started!.pid!)).toBe(false)
  })

  it('keeps typed errors across the wire: same class, code and fields', async () => {
    const { client } = await served()
    const remote = await client()
    const missing = await remote.stop('nope').catch((error: unknown) => error)
    expect(missing).toBeInstanceOf(NotFoundError)
    expect(missing).toMatchObject({ code: 'TEND_ERR_NOT_FOUND', target: 'nope', name: 'NotFoundError' })
    const bad = await remote.start({ script: fixture('long-running.cjs'), restartDelai: 5 } as never).catch((error: unknown) => error)
    expect(bad).toBeInstanceOf(InvalidSpecError)
    expect(bad).toMatchObject({ code: 'TEND_ERR_INVALID_SPEC', option: 'restartDelai' })
    expect((bad as Error).message).toContain('did you mean "restartDelay"')
  })

  it('answers a malformed line, an unknown method, bad params and an oversized frame with errors, and keeps serving', async () => {
    const { socketPath, client } = await served()
    const bystander = await client()
    const raw = await rawSocket(socketPath)
    raw.send('{not json\n')
    raw.send(`${JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'format', params: [] })}\n`)
    raw.send(`${JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'stop', params: 'all' })}\n`)
    raw.send(`${JSON.stringify({ jsonrpc: '2.0', id: 3, method: 'signal', params: ['all'] })}\n`)
    raw.send(`${JSON.stringify({ jsonrpc: '2.0', id: 4, method: 'list', params: ['x'.repeat(MAX_FRAME_BYTES + 10)] })}\n`)
    raw.send(`${JSON.stringify({ jsonrpc: '2.0', id: 5, method: 'list', params: [] })}\n`)
    await until(() => raw.messages.length >= 6, { message: 'six replies' })
    const byId = (id: number | null) => raw.messages.filter((message) => message.id === id)
    const nullReplies = byId(null)
      .map((message) => (message.error as { code: number }).code)
      .sort((a, b) => a - b)
    expect(nullReplies).toEqual([-32700, -32001])
    expect(byId(1)[0]).toMatchObject({ error: { code: -32601, data: { code: 'TEND_ERR_RPC' } } })
    expect(byId(2)[0]).toMatchObject({ error: { code: -32602 } })
    expect(byId(3)[0]).toMatchObject({ error: { code: -32602 } })
    expect(byId(5)[0]).toEqual({ jsonrpc: '2.0', id: 5, result: [] })
    expect(await bystander.list()).toEqual([])
    expect(await bystander.call('ping')).toMatchObject({ pid: process.pid })
  })

  it('rejects unknown methods on the client with RpcError, and times calls out with RpcTimeoutError', async () => {
    const { socketPath, client } = await served()
    const remote = await client()
    await expect(remote.call('close')).rejects.toBeInstanceOf(RpcError)
    await remote.start({ name: 'lr', script: fixture('long-running.cjs') })
    const slow = await connect({ socketPath, timeout: 200 })
    const timedOut = await slow.waitFor('lr', 'errored').catch((error: unknown) => error)
    await slow.close()
    expect(timedOut).toBeInstanceOf(RpcTimeoutError)
    expect(timedOut).toMatchObject({ code: 'TEND_ERR_RPC_TIMEOUT', method: 'waitFor', timeout: 200 })
  })

  it('delivers events to subscribers, wildcards included', async () => {
    const { client } = await served()
    const remote = await client()
    const exits: ProcessExitEvent[] = []
    const names: string[] = []
    await remote.on('process:exit', (event) => exits.push(event))
    await remote.on('process:*', (_event, name) => names.push(name))
    await remote.start({ name: 'quick', script: fixture('exit-with.cjs'), args: ['0'], autorestart: false }).catch(() => undefined)
    await until(() => exits.length > 0, { message: 'a process:exit event' })
    expect(exits[0]).toMatchObject({ process: { name: 'quick' }, code: 0, reason: 'exit' })
    expect(names).toEqual(expect.arrayContaining(['process:spawn', 'process:exit']))
  })

  it('sends an error inside an event payload as data with its code', async () => {
    const { client } = await served()
    const remote = await client()
    const errored: { error: { code: string; message: string; restarts: number } }[] = []
    await remote.on('process:errored', (event) => errored.push(event as never))
    // In fork mode a process is online once spawned: start() resolves, the crash loop follows.
    await remote.start({ name: 'crashy', script: fixture('exit-with.cjs'), args: ['3'], maxRestarts: 1 }).catch(() => undefined)
    await until(() => errored.length > 0, { message: 'a process:errored event' })
    expect(errored[0]!.error).toMatchObject({ code: 'TEND_ERR_CRASH_LOOP', name: 'CrashLoopError', restarts: 1 })
    expect(errored[0]!.error.message).toContain('kept exiting')
  })

  it('skips events past a bounded buffer for a subscriber that does not read, and serves others meanwhile', async () => {
    const { sup, socketPath, client } = await served({ maxBufferedBytes: 64 * 1024 })
    const raw = await rawSocket(socketPath)
    raw.socket.pause()
    raw.send(`${JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'subscribe', params: ['log:*'] })}\n`)
    const remote = await client()
    await sup.start({ name: 'flood', script: fixture('flood.cjs') })
    let lines = 0
    sup.on('log:out', () => lines++)
    await until(() => lines > 20_000, { timeout: 45_000, message: 'the flood to outrun the reader' })
    expect(await remote.list()).toHaveLength(1)
    await sup.stop('flood')
    raw.socket.resume()
    await until(() => raw.messages.some((message) => Array.isArray(message.params) && message.params[0] === 'tend:skipped'), {
      timeout: 30_000,
      message: 'a tend:skipped notice',
    })
    const received = raw.messages.filter((message) => message.method === 'event' && (message.params as unknown[])[0] === 'log:out').length
    const skipped = raw.messages
      .filter((message) => message.method === 'event' && (message.params as unknown[])[0] === 'tend:skipped')
      .reduce((sum, message) => sum + (message.params as [string, { count: number }])[1].count, 0)
    expect(received).toBeLessThan(lines)
    expect(skipped).toBeGreaterThan(0)
  })

  it('refuses to take over a socket a live server answers on', async () => {
    const { socketPath, sup } = await served()
    await expect(serve(sup, { socketPath })).rejects.toBeInstanceOf(SocketError)
  })
})
