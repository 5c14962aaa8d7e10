/**
 * Property tests of the RPC server: random bytes, random JSON, JSON-RPC
 * envelopes with random methods and params, huge lines and partial lines
 * against a live server. Every frame gets a well-formed reply (an error, or a
 * result for a valid call), nothing crashes, the Supervisor's state does not
 * change, and a call on another connection still works.
 */
import fc from 'fast-check'
import { createConnection, type Socket } from 'node:net'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { Supervisor } from '../../../src/index.js'
import { REQUIRED_PARAMS, type SupervisorMethod } from '../../../src/adapters/rpc/methods.js'
import { connect, MAX_FRAME_BYTES, serve, SUPERVISOR_METHODS, type RpcServer } from '../../../src/rpc.js'
import { SPEC_KEYS } from '../../../src/config/normalize.js'
import { fixture, onCleanup, supervisor, until } from '../../helpers.js'
import { shortTempDir } from './rpc-helpers.js'

type Message = Record<string, unknown>

/** A raw connection that collects every reply (events left out) and notes any line that is not JSON. */
async function session(
  socketPath: string,
): Promise<{ socket: Socket; replies: Message[]; garbage: string[]; send(data: Uint8Array | string): Promise<void> }> {
  const socket = createConnection(socketPath)
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve)
    socket.once('error', reject)
  })
  socket.on('error', () => {}) // the server may drop us (oversized backlog); the test checks what it got
  const replies: Message[] = []
  const garbage: string[] = []
  let buffer = ''
  socket.setEncoding('utf8').on('data', (chunk: string) => {
    buffer += chunk
    let newline: number
    while ((newline = buffer.indexOf('\n')) !== -1) {
      const line = buffer.slice(0, newline)
      buffer = buffer.slice(newline + 1)
      try {
        const message = JSON.parse(line) as Message
        if (message.method !== 'event') replies.push(message)
      } catch {
        garbage.push(line)
      }
    }
  })
  const send = (data: Uint8Array | string): Promise<void> =>
    new Promise((resolve, reject) => socket.write(data, (error) => (error ? reject(error) : resolve())))
  return { socket, replies, garbage, send }
}

function isValidRequest(value: unknown): value is Message {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false
  const request = value as Message
  const id = request.id
  const idOk = !('id' in request) || id === null || typeof id === 'string' || typeof id === 'number'
  return request.jsonrpc === '2.0' && typeof request.method === 'string' && idOk
}

/** How many replies the server owes for these bytes: one per non-blank line, except notifications. */
function expectedReplies(bytes: Uint8Array): number {
  let count = 0
  let start = 0
  while (start <= bytes.length) {
    let end = bytes.indexOf(10, start)
    if (end === -1) end = bytes.length
    const line = Buffer.from(bytes.subarray(start, end)).toString('utf8')
    start = end + 1
    if (line.trim() === '') continue
    let parsed: unknown
    try {
      parsed = JSON.parse(line)
    } catch {
      count++
      continue
    }
    if (!(isValidRequest(parsed) && !('id' in parsed))) count++
  }
  return count
}

function checkReply(reply: Message): void {
  expect(reply.jsonrpc).toBe('2.0')
  expect(['string', 'number'].includes(typeof reply.id) || reply.id === null).toBe(true)
  expect('result' in reply !== 'error' in reply).toBe(true)
  if ('error' in reply) {
    const error = reply.error as { code: unknown; message: unknown; data?: { code?: unknown } }
    expect(Number.isInteger(error.code)).toBe(true)
    expect(typeof error.message).toBe('string')
    expect(String(error.data?.code)).toMatch(/^TEND_ERR_/)
    // Typed: a protocol error or a TendError, never an untyped internal error.
    expect(error.code, JSON.stringify(reply)).not.toBe(-32603)
  }
}

const snapshot = (sup: Supervisor): string => JSON.stringify(sup.list().map(({ uptime: _uptime, ...info }) => info))

/** A live server whose Supervisor runs one app, 'keep'. */
async function liveServer(): Promise<{ sup: Supervisor; server: RpcServer; socketPath: string; before: string }> {
  const sup = supervisor()
  await sup.start({ name: 'keep', script: fixture('long-running.cjs') })
  const socketPath = join(shortTempDir(), 'rpc.sock')
  const server = await serve(sup, { socketPath })
  onCleanup(() => server.close())
  return { sup, server, socketPath, before: snapshot(sup) }
}

/** Sends bytes in random chunks on a fresh connection and checks what came back. */
async function exchange(socketPath: string, bytes: Uint8Array, cuts: number[]): Promise<Message[]> {
  const conn = await session(socketPath)
  try {
    const points = [...new Set(cuts.map((cut) => cut % (bytes.length + 1)))].sort((a, b) => a - b)
    let from = 0
    for (const point of [...points, bytes.length]) {
      if (point > from) await conn.send(bytes.subarray(from, point))
      from = Math.max(from, point)
    }
    const owed = expectedReplies(bytes)
    await until(() => conn.replies.length >= owed, { timeout: 10_000, message: `${owed} replies` })
    // A sentinel call on the same connection: anything owed has been answered once it answers.
    await conn.send(`${JSON.stringify({ jsonrpc: '2.0', id: 'sentinel', method: 'ping' })}\n`)
    await until(() => conn.replies.some((reply) => reply.id === 'sentinel'), { timeout: 10_000, message: 'the sentinel reply' })
    expect(conn.garbage).toEqual([])
    const replies = conn.replies.filter((reply) => reply.id !== 'sentinel')
    expect(replies).toHaveLength(owed)
    for (const reply of replies) checkReply(reply)
    return replies
  } finally {
    conn.socket.destroy()
  }
}

/** Targets that could name the running app ('keep', id 0, 'all', its namespace) are left out of calls that change state. */
function touchesKeep(value: unknown): boolean {
  if (typeof value === 'number') return true
  if (typeof value === 'string') return ['keep', 'all', 'default'].includes(value) || /^\s*\d+\s*$/.test(value)
  if (Array.isArray(value)) return value.some(touchesKeep)
  if (value !== null && typeof value === 'object')
    return Object.entries(value).some(([key, field]) => touchesKeep(key) || touchesKeep(field))
  return false
}

const READ_ONLY = ['list', 'describe', 'describeCompact', 'logs', 'ping', 'subscribe', 'unsubscribe']
const CHANGING = Object.keys(SUPERVISOR_METHODS).filter((name) => !READ_ONLY.includes(name))
const cuts = fc.array(fc.nat(4000), { maxLength: 4 })

describe('RPC server (property)', { timeout: 60_000 }, () => {
  it('answers random bytes and random JSON values with errors, and changes nothing', async () => {
    const { sup, socketPath, before } = await liveServer()
    const frames = fc.oneof(
      fc.uint8Array({ maxLength: 400 }),
      fc.jsonValue().map((value) => new TextEncoder().encode(`${JSON.stringify(value)}\n`)),
      fc
        .array(
          fc.oneof(
            fc.string({ unit: 'binary' }),
            fc.jsonValue().map((value) => JSON.stringify(value)),
          ),
          { maxLength: 5 },
        )
        .map((lines) => new TextEncoder().encode(`${lines.join('\n')}\n`)),
    )
    await fc.assert(
      fc.asyncProperty(frames, cuts, async (frame, at) => {
        const bytes = new Uint8Array([...frame, 10])
        await exchange(socketPath, bytes, at)
        expect(snapshot(sup)).toBe(before)
      }),
      { numRuns: 120, seed: 41 },
    )
    const client = await connect({ socketPath })
    onCleanup(() => client.close())
    expect((await client.list()).map((info) => info.name)).toEqual(['keep'])
  })

  it('answers JSON-RPC envelopes with random methods and params with a result or a typed error, and changes nothing', async () => {
    const { sup, socketPath, before } = await liveServer()
    // Anything at all…
    const method = fc.oneof(
      fc.string(),
      fc.constantFrom(...READ_ONLY, '__proto__', 'constructor', 'toString', 'hasOwnProperty', 'close', 'appSpecs', 'on', 'bus'),
      fc.constantFrom(...CHANGING),
    )
    const params = fc.oneof(fc.array(fc.jsonValue({ maxDepth: 3 }), { maxLength: 4 }), fc.jsonValue({ maxDepth: 2 }))
    const id = fc.oneof(fc.integer(), fc.string(), fc.constant(null))
    const loose = fc.record({ id, method, params }, { requiredKeys: ['id', 'method'] })
    // …and calls of the real methods with the right number of random arguments, so the Supervisor's own validation is hit.
    const option = fc.dictionary(
      fc.constantFrom('lines', 'timeout', 'force', 'signal', 'follow', 'wait', 'instances', 'stream', 'type', 'name', 'env', 'bogus'),
      fc.jsonValue({ maxDepth: 1 }),
      { maxKeys: 3 },
    )
    const spec = fc.dictionary(fc.constantFrom(...SPEC_KEYS, 'bogus', 'exec_mode'), fc.jsonValue({ maxDepth: 1 }), { maxKeys: 4 })
    const argument = fc.oneof(
      fc.jsonValue({ maxDepth: 2 }),
      option,
      spec,
      fc.array(spec, { maxLength: 2 }),
      fc.constantFrom('nope', 'SIGTERM', 'SIGKILL', 'SIGSTOP', 'online', 'stopped', 'errored', 'out', 'err', '', 'x'.repeat(300)),
      fc.array(fc.oneof(fc.string(), fc.integer()), { maxLength: 3 }),
    )
    const methods = Object.keys(SUPERVISOR_METHODS) as SupervisorMethod[]
    const shaped = fc.constantFrom(...methods).chain((name) =>
      fc.record({
        id,
        method: fc.constant<string>(name),
        params: fc.array(argument, { minLength: REQUIRED_PARAMS[name] ?? 0, maxLength: SUPERVISOR_METHODS[name] }),
      }),
    )
    // A call that could change state must not target the running app (start cannot: no random script exists).
    const harmless = (request: { method: string; params?: unknown }): boolean => {
      if (!CHANGING.includes(request.method) || request.method === 'start' || !Array.isArray(request.params)) return true
      return request.params.length > 0 && request.params[0] !== null && !touchesKeep(request.params[0])
    }
    const envelope = fc.oneof(loose, shaped).filter(harmless)
    await fc.assert(
      fc.asyncProperty(envelope, cuts, async (request, at) => {
        const [reply] = await exchange(socketPath, new TextEncoder().encode(`${JSON.stringify({ jsonrpc: '2.0', ...request })}\n`), at)
        expect(reply!.id).toBe(request.id)
        const known =
          Object.hasOwn(SUPERVISOR_METHODS, request.method) ||
          ['ping', 'subscribe', 'unsubscribe', 'describeCompact'].includes(request.method)
        const paramsOk = request.params === undefined || request.params === null || Array.isArray(request.params)
        if (!paramsOk) expect((reply!.error as { code: number }).code).toBe(-32602)
        else if (!known) expect((reply!.error as { code: number }).code).toBe(-32601)
        expect(snapshot(sup)).toBe(before)
      }),
      { numRuns: 200, seed: 42 },
    )
    const client = await connect({ socketPath })
    onCleanup(() => client.close())
    expect((await client.list()).map((info) => info.name)).toEqual(['keep'])
  })

  it('answers a line over 1 MiB, sent in random chunks, with one -32001 error and serves the next line', async () => {
    const { sup, socketPath, before } = await liveServer()
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: MAX_FRAME_BYTES }), fc.integer({ min: 1, max: 255 }), cuts, async (extra, byte, at) => {
        const huge = new Uint8Array(MAX_FRAME_BYTES + extra).fill(byte === 10 ? 32 : byte)
        const call = new TextEncoder().encode(`\n${JSON.stringify({ jsonrpc: '2.0', id: 7, method: 'list' })}\n`)
        const conn = await session(socketPath)
        try {
          const points = [...new Set(at.map((cut) => (cut * 997) % huge.length))].sort((a, b) => a - b)
          let from = 0
          for (const point of [...points, huge.length]) {
            if (point > from) await conn.send(huge.subarray(from, point))
            from = Math.max(from, point)
          }
          await conn.send(call)
          await until(() => conn.replies.length >= 2, { timeout: 10_000, message: 'two replies' })
          expect(conn.replies[0]).toMatchObject({ id: null, error: { code: -32001, data: { code: 'TEND_ERR_RPC' } } })
          expect((conn.replies[1]!.result as { name: string }[]).map((info) => info.name)).toEqual(['keep'])
        } finally {
          conn.socket.destroy()
        }
        expect(snapshot(sup)).toBe(before)
      }),
      { numRuns: 6, seed: 43 },
    )
  })

  it('forgets a partial line when its connection closes, and keeps serving others', async () => {
    const { sup, server, socketPath, before } = await liveServer()
    const client = await connect({ socketPath })
    onCleanup(() => client.close())
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ minLength: 1, maxLength: 2000 }), fc.boolean(), async (bytes, abrupt) => {
        const partial = bytes.map((byte) => (byte === 10 ? 32 : byte))
        const conn = await session(socketPath)
        await conn.send(partial)
        if (abrupt) conn.socket.destroy()
        else conn.socket.end()
        await until(() => server.connections === 1, { message: 'the closed connection to be dropped' })
        expect(conn.replies).toEqual([])
        expect((await client.list()).map((info) => info.name)).toEqual(['keep'])
        expect(snapshot(sup)).toBe(before)
      }),
      { numRuns: 40, seed: 44 },
    )
  })
})
