/**
 * The RPC server: exposes a Supervisor's allow-listed methods and its events
 * over a Unix socket, one JSON-RPC 2.0 message per line. A bad frame gets an
 * error reply and changes nothing else; a slow event subscriber has events
 * skipped once its socket buffer passes a bound.
 */
import { chmodSync, linkSync, mkdirSync, mkdtempSync, rmSync, unlinkSync } from 'node:fs'
import { createConnection, createServer, type Server, type Socket } from 'node:net'
import { dirname, join } from 'node:path'
import { debuglog } from 'node:util'
import { InvalidArgumentError, RpcError, SocketError } from '../../errors.js'
import type { Supervisor } from '../../supervisor.js'
import type { ProcessDescription } from '../../types.js'
import { VERSION } from '../../version.js'
import { compactDescriptions, DESCRIBE_COMPACT } from './descriptions.js'
import { REQUIRED_PARAMS, SUPERVISOR_METHODS, type SupervisorMethod } from './methods.js'
import {
  errorToWire,
  FrameDecoder,
  MAX_REPLY_BYTES,
  RPC_FRAME_TOO_LARGE,
  RPC_REPLY_TOO_LARGE,
  RPC_INVALID_PARAMS,
  RPC_INVALID_REQUEST,
  RPC_METHOD_NOT_FOUND,
  RPC_PARSE_ERROR,
  type RpcErrorObject,
  type RpcId,
} from './protocol.js'
import { assertSocketPathFits, socketPathFits } from './socket-path.js'

const debug = debuglog('tend:rpc')

/** A method the host adds next to the Supervisor's (the daemon's `save`, `kill`…). */
export type ExtraMethod = (...params: unknown[]) => unknown

export interface ServeOptions {
  /** Where to listen. Its directory is created with mode 0700; the socket gets mode 0600. */
  readonly socketPath: string
  /** More methods, by name (they may not shadow the Supervisor's). */
  readonly methods?: Readonly<Record<string, ExtraMethod>>
  /** Bytes of unsent events per client past which further events are skipped. @default 1 MiB */
  readonly maxBufferedBytes?: number
  /**
   * The largest reply (or event) line sent. A reply over it is answered with
   * an `RPC_REPLY_TOO_LARGE` (-32002) error naming its size instead, and the
   * connection stays up; an event over it is skipped (and counted in
   * `tend:skipped`). Requests keep their own cap, `MAX_FRAME_BYTES`.
   * @default MAX_REPLY_BYTES (256 MiB)
   */
  readonly maxReplyBytes?: number
}

export interface RpcServer extends AsyncDisposable {
  readonly socketPath: string
  /** Clients connected now. */
  readonly connections: number
  /** Stops listening, drops every client and removes the socket file. Idempotent. */
  close(): Promise<void>
}

interface Subscription {
  readonly pattern: string
  readonly listener: (payload: unknown) => void
}

class Connection {
  readonly #subscriptions: Subscription[] = []
  #skipped = 0

  constructor(
    readonly socket: Socket,
    private readonly supervisor: Supervisor,
    private readonly extra: Readonly<Record<string, ExtraMethod>>,
    private readonly maxBufferedBytes: number,
    private readonly maxReplyBytes: number,
  ) {
    const decoder = new FrameDecoder(
      (line) => void this.#onLine(line),
      () =>
        this.#reply(null, undefined, {
          code: RPC_FRAME_TOO_LARGE,
          message: 'Frame too large (over 1 MiB)',
          data: { code: 'TEND_ERR_RPC' },
        }),
    )
    socket.on('data', (chunk: Buffer) => decoder.push(chunk))
    socket.on('drain', () => this.#reportSkipped())
    socket.on('error', (error) => debug('client error: %s', error.message))
    socket.on('close', () => this.dispose())
  }

  dispose(): void {
    for (const { pattern, listener } of this.#subscriptions.splice(0)) this.supervisor.bus.off(pattern, listener)
  }

  /** Writes one line; false (nothing written) when it would pass `maxReplyBytes`. */
  #write(message: object): boolean {
    if (this.socket.destroyed || !this.socket.writable) return true
    // A client that sends requests but never reads its answers is cut off
    // before it can grow the server's memory without bound: the backlog is
    // checked before each write, so one large reply alone is never the cause.
    if (this.socket.writableLength > this.maxBufferedBytes * 8) {
      this.socket.destroy()
      return true
    }
    const line = `${JSON.stringify(message, errorsAsData)}\n`
    // UTF-16 length ≤ UTF-8 bytes ≤ 3 × it: the exact count only near the cap
    if (line.length * 3 > this.maxReplyBytes && Buffer.byteLength(line) > this.maxReplyBytes) return false
    this.socket.write(line)
    return true
  }

  #reply(id: RpcId, result: unknown, error?: RpcErrorObject): void {
    if (this.#write(error ? { jsonrpc: '2.0', id, error } : { jsonrpc: '2.0', id, result: result ?? null })) return
    this.#write({
      jsonrpc: '2.0',
      id,
      error: {
        code: RPC_REPLY_TOO_LARGE,
        message: `The reply is over the server's reply cap of ${this.maxReplyBytes} bytes; ask for fewer processes (a narrower target)`,
        data: { code: 'TEND_ERR_RPC', maxReplyBytes: this.maxReplyBytes },
      },
    })
  }

  #reportSkipped(): void {
    if (this.#skipped === 0) return
    const skipped = this.#skipped
    this.#skipped = 0
    this.#write({ jsonrpc: '2.0', method: 'event', params: ['tend:skipped', { count: skipped, at: Date.now() }] })
  }

  #subscribe(patterns: unknown): { subscribed: string[] } {
    const list = typeof patterns === 'string' ? [patterns] : patterns
    if (!Array.isArray(list) || !list.every((pattern) => typeof pattern === 'string' && pattern !== '')) {
      throw new RpcError(RPC_INVALID_PARAMS, 'subscribe takes an event name or pattern, or an array of them')
    }
    for (const pattern of list as string[]) {
      if (this.#subscriptions.some((subscription) => subscription.pattern === pattern)) continue
      const onEvent = (name: string, payload: unknown): void => this.#onEvent(name, payload)
      // eventemitter2 passes the event's name as `this.event` to a plain function.
      const listener = function (this: { event: string | string[] }, payload: unknown): void {
        onEvent(String(this.event), payload)
      }
      this.supervisor.bus.on(pattern, listener)
      this.#subscriptions.push({ pattern, listener })
    }
    return { subscribed: this.#subscriptions.map((subscription) => subscription.pattern) }
  }

  #unsubscribe(patterns: unknown): { subscribed: string[] } {
    const list = typeof patterns === 'string' ? [patterns] : Array.isArray(patterns) ? (patterns as unknown[]) : []
    for (let i = this.#subscriptions.length - 1; i >= 0; i--) {
      const subscription = this.#subscriptions[i]!
      if (list.length === 0 || list.includes(subscription.pattern)) {
        this.supervisor.bus.off(subscription.pattern, subscription.listener)
        this.#subscriptions.splice(i, 1)
      }
    }
    return { subscribed: this.#subscriptions.map((subscription) => subscription.pattern) }
  }

  #onEvent(name: string, payload: unknown): void {
    if (this.socket.writableLength > this.maxBufferedBytes) {
      this.#skipped++
      return
    }
    if (!this.#write({ jsonrpc: '2.0', method: 'event', params: [name, payload] })) this.#skipped++
  }

  async #onLine(line: string): Promise<void> {
    let request: unknown
    try {
      request = JSON.parse(line)
    } catch {
      this.#reply(null, undefined, { code: RPC_PARSE_ERROR, message: 'Parse error: not valid JSON', data: { code: 'TEND_ERR_RPC' } })
      return
    }
    const id = isObject(request) && (typeof request.id === 'number' || typeof request.id === 'string') ? request.id : null
    // Only a valid request without an id is a notification (no reply); anything invalid gets its error.
    let notification = false
    try {
      if (!isObject(request) || request.jsonrpc !== '2.0' || typeof request.method !== 'string' || !isValidId(request)) {
        throw new RpcError(
          RPC_INVALID_REQUEST,
          'Invalid request: expected a JSON-RPC 2.0 object with a method (and an id that is a string, a number or null)',
        )
      }
      notification = !('id' in request)
      const params = request.params ?? []
      if (!Array.isArray(params))
        throw new RpcError(RPC_INVALID_PARAMS, `Invalid params for "${request.method}": expected an array of arguments`)
      const result = await this.#call(request.method, params as unknown[])
      if (!notification) this.#reply(id, result)
    } catch (error) {
      if (!notification) this.#reply(id, undefined, errorToWire(error))
    }
  }

  async #call(method: string, params: unknown[]): Promise<unknown> {
    if (method === 'subscribe') return this.#subscribe(params[0])
    if (method === 'unsubscribe') return this.#unsubscribe(params[0])
    if (method === DESCRIBE_COMPACT) return compactDescriptions((await this.#call('describe', params)) as ProcessDescription[])
    if (Object.hasOwn(SUPERVISOR_METHODS, method)) {
      const name = method as SupervisorMethod
      const max = SUPERVISOR_METHODS[name]
      const min = REQUIRED_PARAMS[name] ?? 0
      if (params.length > max || params.length < min) {
        throw new RpcError(
          RPC_INVALID_PARAMS,
          `Invalid params for "${method}": expected ${min === max ? max : `${min} to ${max}`} arguments, got ${params.length}`,
        )
      }
      const fn = (this.supervisor as unknown as Record<string, unknown>)[name]
      if (typeof fn !== 'function') throw new RpcError(RPC_METHOD_NOT_FOUND, `Method "${method}" is not available in this version of tend`)
      // JSON turns an omitted argument (undefined) into null: give the method its default back.
      // send()'s message and invoke()'s params are the app's data, passed as they came.
      const args = params.map((param, index) =>
        (name === 'send' && index === 1) || (name === 'invoke' && index === 2) ? param : param === null ? undefined : withoutSignal(param),
      )
      return await (fn as (...args: unknown[]) => unknown).apply(this.supervisor, args)
    }
    if (Object.hasOwn(this.extra, method)) return await this.extra[method]!(...params)
    if (method === 'ping') return { pid: process.pid, version: VERSION }
    throw new RpcError(RPC_METHOD_NOT_FOUND, `Method not found: "${method}"`)
  }
}

/** Errors in results and event payloads (`process:errored`'s `error`) travel as plain data with their code and fields. */
function errorsAsData(_key: string, value: unknown): unknown {
  if (!(value instanceof Error)) return value
  const fields: Record<string, unknown> = { name: value.name, message: value.message }
  for (const [key, field] of Object.entries(value)) if (key !== 'cause') fields[key] = field
  return fields
}

/** JSON-RPC 2.0: an id, when present, is a string, a number or null. */
function isValidId(request: Record<string, unknown>): boolean {
  return !('id' in request) || request.id === null || typeof request.id === 'string' || typeof request.id === 'number'
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
}

/** An options object from the wire cannot carry an AbortSignal; never let a look-alike through. */
function withoutSignal(param: unknown): unknown {
  if (isObject(param) && 'signal' in param) {
    const { signal: _signal, ...rest } = param
    return rest
  }
  return param
}

/** Is something answering on this socket path? */
function isListening(socketPath: string): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createConnection(socketPath)
    probe.once('connect', () => {
      probe.destroy()
      resolve(true)
    })
    probe.once('error', () => resolve(false))
  })
}

function listen(server: Server, path: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(path, () => {
      server.off('error', reject)
      resolve()
    })
  })
}

/**
 * Listens on `socketPath` without the socket ever being open to others, even
 * in a directory they can enter: it is bound in a fresh 0700 directory, set
 * to 0600, and only then linked into place (a link, not a rename, so a socket
 * another server put there meanwhile is never replaced). Where that temporary
 * path would be too long for a socket, it is bound in place and set to 0600
 * right after, and the directory alone guards the moment in between.
 */
async function listenOwnerOnly(server: Server, socketPath: string): Promise<void> {
  const privateDir = mkdtempSync(join(dirname(socketPath), '.t'))
  const temp = join(privateDir, 's')
  try {
    if (!socketPathFits(temp)) {
      await listen(server, socketPath)
      chmodSync(socketPath, 0o600)
      return
    }
    await listen(server, temp)
    chmodSync(temp, 0o600)
    try {
      linkSync(temp, socketPath)
    } catch (error) {
      server.close()
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
        throw new SocketError(socketPath, `Another server took ${socketPath} while this one started`, { cause: error })
      }
      throw error
    }
  } finally {
    rmSync(privateDir, { recursive: true, force: true })
  }
}

/** Bad options are the caller's mistake: InvalidArgumentError, naming the option. */
function validateServeOptions(options: ServeOptions): ServeOptions {
  if (!isObject(options)) throw new InvalidArgumentError('options', 'serve() takes an options object with a socketPath')
  const { socketPath, methods, maxBufferedBytes } = options
  if (typeof socketPath !== 'string' || socketPath === '') {
    throw new InvalidArgumentError('socketPath', `socketPath must be a non-empty string, got ${JSON.stringify(socketPath)}`)
  }
  if (methods !== undefined) {
    if (!isObject(methods)) throw new InvalidArgumentError('methods', 'methods must be an object of functions, by name')
    for (const [name, fn] of Object.entries(methods)) {
      if (Object.hasOwn(SUPERVISOR_METHODS, name) || name === 'subscribe' || name === 'unsubscribe') {
        throw new InvalidArgumentError('methods', `Extra method "${name}" would shadow a built-in method`)
      }
      if (typeof fn !== 'function') throw new InvalidArgumentError('methods', `Extra method "${name}" must be a function`)
    }
  }
  if (maxBufferedBytes !== undefined && !(Number.isInteger(maxBufferedBytes) && maxBufferedBytes > 0)) {
    throw new InvalidArgumentError('maxBufferedBytes', `maxBufferedBytes must be an integer > 0, got ${JSON.stringify(maxBufferedBytes)}`)
  }
  const { maxReplyBytes } = options
  if (maxReplyBytes !== undefined && !(Number.isInteger(maxReplyBytes) && maxReplyBytes >= 1024)) {
    throw new InvalidArgumentError('maxReplyBytes', `maxReplyBytes must be an integer ≥ 1024, got ${JSON.stringify(maxReplyBytes)}`)
  }
  return options
}

/**
 * Serves a Supervisor on a Unix socket. A socket file nobody answers on (left
 * by a killed process) is replaced; one a live server answers on is an error.
 */
export async function serve(supervisor: Supervisor, options: ServeOptions): Promise<RpcServer> {
  const { socketPath, maxBufferedBytes = 1024 * 1024, maxReplyBytes = MAX_REPLY_BYTES } = validateServeOptions(options)
  const extra = { ...options.methods }
  assertSocketPathFits(socketPath)
  mkdirSync(dirname(socketPath), { recursive: true, mode: 0o700 })
  if (await isListening(socketPath)) throw new SocketError(socketPath, `Another server is already listening on ${socketPath}`)
  try {
    unlinkSync(socketPath)
  } catch {
    // nothing stale to remove
  }

  const connections = new Set<Connection>()
  const server: Server = createServer((socket) => {
    const connection = new Connection(socket, supervisor, extra, maxBufferedBytes, maxReplyBytes)
    connections.add(connection)
    socket.on('close', () => connections.delete(connection))
  })
  await listenOwnerOnly(server, socketPath)
  debug('listening on %s', socketPath)

  let closing: Promise<void> | null = null
  const close = (): Promise<void> =>
    (closing ??= new Promise<void>((resolve) => {
      server.close(() => resolve())
      for (const connection of connections) {
        connection.dispose()
        connection.socket.destroy()
      }
      try {
        unlinkSync(socketPath)
      } catch {
        // already gone
      }
    }))

  return {
    socketPath,
    get connections() {
      return connections.size
    },
    close,
    [Symbol.asyncDispose]: close,
  }
}
