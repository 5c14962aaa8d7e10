/**
 * Replies are not capped like requests: a reply over the 1 MiB request cap
 * arrives whole, and one over a reply cap (the server's or the client's) is
 * a typed error for that call alone; the connection keeps serving.
 */
import { describe, expect, it } from 'vitest'
import type { AppSpec } from '../../../src/index.js'
import { connect, MAX_FRAME_BYTES, RpcError } from '../../../src/rpc.js'
import { onCleanup } from '../../helpers.js'
import { served } from './rpc-helpers.js'

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
    expect(Buffer.byteLength(JSON.stringify(described))).toBeGreaterThan(MAX_FRAME_BYTES)
    await remote.delete('all')
  })

  it("answers a reply over the server's maxReplyBytes with a typed error and keeps the connection", async () => {
    const { client } = await served({ maxReplyBytes: 64 * 1024 })
    const remote = await client()
    await remote.start(bigApp(40, 4096))
    const error = await remote.describe('wide').catch((caught: unknown) => caught)
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
    const [tooLarge, fine] = await Promise.allSettled([small.describe('wide'), small.list()])
    expect(tooLarge.status).toBe('rejected')
    expect((tooLarge as PromiseRejectedResult).reason).toMatchObject({ code: 'TEND_ERR_RPC', rpcCode: -32002 })
    expect(fine.status === 'fulfilled' && fine.value).toHaveLength(40)
    expect(await small.call('ping')).toMatchObject({ pid: process.pid })
    await seed.delete('all')
  })
})
