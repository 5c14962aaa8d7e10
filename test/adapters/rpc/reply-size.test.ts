/**
 * Replies are not capped like requests: a reply over the 1 MiB request cap
 * arrives whole, and one over a reply cap (the server's or the client's) is
 * a typed error for that call alone; the connection keeps serving.
 */
import { createServer } from 'node:net'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { AppSpec, ProcessDescription } from '../../../src/index.js'
import { connect, MAX_FRAME_BYTES, RpcError } from '../../../src/rpc.js'
import { onCleanup } from '../../helpers.js'
import { served, shortTempDir } from './rpc-helpers.js'

/** An app of `instances` stopped sleepers (autostart off: nothing runs) with a large environment. */
function bigApp(instances: number, envBytes: number): AppSpec {
  return {
    name: 'wide',
    script: '/bin/sleep',
    args: ['3600'],
    interpreter: 'none',
    instances,
    autostart: false,
    env: { PADDING: 'x'.repeat(envBytes) },
  }
}

describe('RPC reply size', () => {
  it('sends a reply over 1 MiB whole, and describe() carries the spec that list() leaves out', async () => {
    const { client } = await served()
    const remote = await client()
    // 400 processes, each with a 4 KiB environment: the specs alone would be 1.6 MiB in every list()
    await remote.start(bigApp(400, 4096))
    const listed = await remote.list()
    expect(listed).toHaveLength(400)
    expect(listed[0]).not.toHaveProperty('spec')
    expect(Buffer.byteLength(JSON.stringify(listed))).toBeLessThan(MAX_FRAME_BYTES)
    const described = await remote.describe('wide')
    expect(described).toHaveLength(400)
    expect(described[0]!.spec.env.PADDING).toHaveLength(4096)
    // the plain wire method repeats the spec per process: over 1 MiB, sent whole
    const plain = await remote.call<ProcessDescription[]>('describe', ['wide'])
    expect(Buffer.byteLength(JSON.stringify(plain))).toBeGreaterThan(MAX_FRAME_BYTES)
    expect(plain.map(({ id }) => id)).toEqual(described.map(({ id }) => id))
    await remote.delete('all')
  })

  it("describe() carries each app's spec once on the wire, and gives every process its app's spec, shared", async () => {
    const { client } = await served()
    const remote = await client()
    await remote.start([bigApp(400, 4096), { ...bigApp(3, 10), name: 'narrow' }])
    const compact = await remote.call<{ specs: unknown[]; processes: { spec: number }[] }>('describeCompact', ['all'])
    expect(compact.specs).toHaveLength(2)
    expect(compact.processes).toHaveLength(403)
    // one 4 KiB environment, not 400 of them
    expect(Buffer.byteLength(JSON.stringify(compact))).toBeLessThan(400 * 1024)
    const described = await remote.describe('all')
    const plain = await remote.call<ProcessDescription[]>('describe', ['all'])
    expect(described).toEqual(plain)
    const wide = described.filter((process) => process.name === 'wide')
    expect(new Set(wide.map((process) => process.spec)).size).toBe(1)
    expect(described.find((process) => process.name === 'narrow')!.spec.env.PADDING).toBe('x'.repeat(10))
    await remote.delete('all')
  })

  it('describe() falls back to the plain method with a daemon that has no describeCompact', async () => {
    const socketPath = join(shortTempDir(), 'old.sock')
    const answer = [{ id: 0, name: 'old', spec: { name: 'old' } }]
    const methods: string[] = []
    const server = createServer((socket) => {
      let buffered = ''
      socket.on('data', (chunk) => {
        buffered += chunk.toString()
        for (let at = buffered.indexOf('\n'); at !== -1; at = buffered.indexOf('\n')) {
          const { id, method } = JSON.parse(buffered.slice(0, at)) as { id: number; method: string }
          buffered = buffered.slice(at + 1)
          methods.push(method)
          const reply = method === 'describe' ? { result: answer } : { error: { code: -32601, message: `Method not found: "${method}"` } }
          socket.write(`${JSON.stringify({ jsonrpc: '2.0', id, ...reply })}\n`)
        }
      })
    })
    await new Promise<void>((resolve) => server.listen(socketPath, resolve))
    onCleanup(() => new Promise<void>((resolve) => server.close(() => resolve())))
    const old = await connect({ socketPath })
    onCleanup(() => old.close())
    expect(await old.describe('all')).toEqual(answer)
    expect(methods).toEqual(['describeCompact', 'describe'])
  })

  it("answers a reply over the server's maxReplyBytes with a typed error and keeps the connection", async () => {
    const { client } = await served({ maxReplyBytes: 64 * 1024 })
    const remote = await client()
    await remote.start(bigApp(40, 4096))
    // the plain wire method (each spec per process): 40 × 4 KiB is over 64 KiB
    const error = await remote.call('describe', ['wide']).catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(RpcError)
    expect(error).toMatchObject({ code: 'TEND_ERR_RPC', rpcCode: -32002 })
    expect((error as Error).message).toContain('65536')
    // the same connection answers the next call, and a narrower target fits
    expect(await remote.list()).toHaveLength(40)
    expect(await remote.describe(0)).toHaveLength(1)
    await remote.delete('all')
  })

  it("rejects only the call whose reply is over the client's maxReplyBytes, and keeps the connection", async () => {
    const { socketPath, client } = await served()
    const seed = await client()
    await seed.start(bigApp(40, 4096))
    const small = await connect({ socketPath, maxReplyBytes: 64 * 1024 })
    onCleanup(() => small.close())
    const [tooLarge, fine] = await Promise.allSettled([small.call('describe', ['wide']), small.list()])
    expect(tooLarge.status).toBe('rejected')
    expect((tooLarge as PromiseRejectedResult).reason).toMatchObject({ code: 'TEND_ERR_RPC', rpcCode: -32002 })
    expect(fine.status === 'fulfilled' && fine.value).toHaveLength(40)
    expect(await small.call('ping')).toMatchObject({ pid: process.pid })
    await seed.delete('all')
  })
})
