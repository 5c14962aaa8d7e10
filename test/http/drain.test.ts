/** drain(): a graceful end of an HTTP server without the keep-alive races of server.close(). */
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { describe, expect, it } from 'vitest'
import { drain, heldSockets } from '../../src/http.js'
import { InvalidArgumentError } from '../../src/index.js'
import { onCleanup } from '../helpers.js'

function serve(handler: http.RequestListener): Promise<{ server: http.Server; port: number }> {
  const server = http.createServer(handler)
  server.keepAliveTimeout = 60_000 // so only drain can end an idle connection within a test
  onCleanup(() => {
    server.closeAllConnections()
    if (server.listening) server.close()
  })
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, port: (server.address() as AddressInfo).port })))
}

function request(port: number, agent: http.Agent): Promise<{ status: number; connection: string | undefined; body: string }> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port, path: '/', agent }, (res) => {
        let body = ''
        res.setEncoding('utf8').on('data', (chunk: string) => (body += chunk))
        res.on('end', () => resolve({ status: res.statusCode!, connection: res.headers.connection, body }))
      })
      .on('error', reject)
  })
}

function keepAliveAgent(): http.Agent {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 })
  onCleanup(() => agent.destroy())
  return agent
}

describe('drain()', () => {
  it('answers a request on an idle keep-alive connection made just after the drain began, with Connection: close', async () => {
    const { server, port } = await serve((req, res) => res.end('ok'))
    const agent = keepAliveAgent()
    expect(await request(port, agent)).toMatchObject({ status: 200, connection: 'keep-alive' })
    const drained = drain(server, { timeout: 10_000 })
    // the agent reuses its idle connection: server.close() alone would have cut it
    expect(await request(port, agent)).toEqual({ status: 200, connection: 'close', body: 'ok' })
    await drained
    expect(server.listening).toBe(false)
  })

  it('lets a request in flight finish, then resolves', async () => {
    let release!: () => void
    const gate = new Promise<void>((resolve) => (release = resolve))
    const { server, port } = await serve((req, res) => void gate.then(() => res.end('late')))
    const agent = keepAliveAgent()
    const inFlight = request(port, agent)
    await new Promise<void>((resolve) => server.once('request', () => resolve()))
    let settled = false
    const drained = drain(server, { timeout: 10_000, grace: 0 }).then(() => (settled = true))
    await new Promise((resolve) => setImmediate(resolve))
    expect(settled).toBe(false)
    release()
    expect(await inFlight).toMatchObject({ status: 200, body: 'late' })
    await drained
  })

  it('closes connections nobody uses after the grace (not after keepAliveTimeout)', async () => {
    const { server, port } = await serve((req, res) => res.end('ok'))
    const agent = keepAliveAgent()
    await request(port, agent)
    const sockets = Object.values(agent.freeSockets).flat()
    expect(sockets).toHaveLength(1)
    const closed = new Promise<void>((resolve) => sockets[0]!.once('close', () => resolve()))
    await drain(server, { timeout: 60_000, grace: 50 })
    await closed
  })

  it('destroys what is left after the timeout', async () => {
    const { server, port } = await serve(() => undefined) // never answers
    const agent = keepAliveAgent()
    const stuck = request(port, agent).catch((error: Error) => error)
    await new Promise<void>((resolve) => server.once('request', () => resolve()))
    await drain(server, { timeout: 100 })
    expect(await stuck).toBeInstanceOf(Error)
  })

  it('rejects bad options with a typed error', async () => {
    const { server } = await serve((req, res) => res.end('ok'))
    await expect(drain(server, { timeout: -1 })).rejects.toBeInstanceOf(InvalidArgumentError)
    await expect(drain(server, { grace: Number.NaN })).rejects.toMatchObject({ code: 'TEND_ERR_INVALID_ARGUMENT', argument: 'grace' })
    expect(server.listening).toBe(true)
  })
})

describe('heldSockets()', () => {
  it('reads LISTEN_FDS and LISTEN_FDNAMES, and ignores variables meant for another pid', () => {
    expect(heldSockets({ LISTEN_FDS: '2', LISTEN_FDNAMES: 'web:admin', LISTEN_PID: String(process.pid) })).toEqual([
      { fd: 3, name: 'web' },
      { fd: 4, name: 'admin' },
    ])
    expect(heldSockets({ LISTEN_FDS: '1' })).toEqual([{ fd: 3, name: 'fd-3' }])
    expect(heldSockets({ LISTEN_FDS: '1', LISTEN_PID: '1' })).toEqual([])
    expect(heldSockets({})).toEqual([])
    expect(heldSockets({ LISTEN_FDS: 'x' })).toEqual([])
  })
})
