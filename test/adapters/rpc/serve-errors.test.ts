import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { InvalidArgumentError, SpawnError, TendError, type ProcessErroredEvent } from '../../../src/index.js'
import { connect, serve, SocketError } from '../../../src/rpc.js'
import { fixture, supervisor, until } from '../../helpers.js'
import { served, shortTempDir } from './rpc-helpers.js'

describe('serve() and connect() errors', () => {
  it('rejects bad options with InvalidArgumentError naming the option', async () => {
    const socketPath = join(shortTempDir(), 'rpc.sock')
    const cases: [unknown, string][] = [
      [{ socketPath, methods: { list: () => [] } }, 'methods'],
      [{ socketPath, methods: { save: 'not a function' } }, 'methods'],
      [{ socketPath: '' }, 'socketPath'],
      [{}, 'socketPath'],
      [{ socketPath, maxBufferedBytes: -1 }, 'maxBufferedBytes'],
      [null, 'options'],
    ]
    for (const [options, argument] of cases) {
      const error = await serve(supervisor(), options as never).catch((caught: unknown) => caught)
      expect(error, JSON.stringify(options)).toBeInstanceOf(InvalidArgumentError)
      expect(error).toMatchObject({ code: 'TEND_ERR_INVALID_ARGUMENT', argument })
    }
    expect(existsSync(socketPath)).toBe(false)
  })

  it('says a socket path is too long before touching it, on serve() and connect() alike', async () => {
    const dir = join(shortTempDir(), 'x'.repeat(120))
    const socketPath = join(dir, 'rpc.sock')
    const served = await serve(supervisor(), { socketPath }).catch((caught: unknown) => caught)
    expect(served).toBeInstanceOf(SocketError)
    expect(served).toMatchObject({ code: 'TEND_ERR_SOCKET', path: socketPath })
    expect((served as Error).message).toMatch(/is 1\d\d bytes; Unix sockets allow 10[37]/)
    expect(existsSync(dir)).toBe(false)
    const connected = await connect({ socketPath }).catch((caught: unknown) => caught)
    expect(connected).toBeInstanceOf(SocketError)
    expect(connected).toMatchObject({ code: 'TEND_ERR_SOCKET', path: socketPath })
  })

  it('refuses a socket a live server answers on with SocketError', async () => {
    const { socketPath, sup } = await served()
    await expect(serve(sup, { socketPath })).rejects.toMatchObject({ code: 'TEND_ERR_SOCKET', path: socketPath })
  })

  it('delivers process:errored over RPC with its error rebuilt as the same class', async () => {
    const { client } = await served()
    const remote = await client()
    const seen: ProcessErroredEvent[] = []
    await remote.on('process:errored', (event) => seen.push(event))
    await remote.start({ name: 'nospawn', script: fixture('long-running.cjs'), interpreter: '/no/such/interpreter' }).catch(() => {})
    await until(() => seen.length > 0, { message: 'process:errored over RPC' })
    const [event] = seen
    expect(event!.error).toBeInstanceOf(SpawnError)
    expect(event!.error).toBeInstanceOf(TendError)
    expect(event!.error).toMatchObject({ code: 'TEND_ERR_SPAWN', app: 'nospawn' })
  })
})
