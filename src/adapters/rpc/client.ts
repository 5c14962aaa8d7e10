/**
 * The RPC client: `connect()` returns a SupervisorClient with the
 * Supervisor's method names, all async, plus event subscription.
 */
import eventemitter2 from 'eventemitter2'
import { createConnection, type Socket } from 'node:net'
import { ERROR_CODES, RpcError, RpcTimeoutError } from '../../errors.js'
import type { Supervisor } from '../../supervisor.js'
import type { EventName, SupervisorEvents } from '../../types.js'
import { DESCRIBE_COMPACT, expandDescriptions, type CompactDescriptions } from './descriptions.js'
import { SUPERVISOR_METHODS, type SupervisorMethod } from './methods.js'
import {
  errorFromWire,
  FrameDecoder,
  MAX_REPLY_BYTES,
  RPC_INTERNAL_ERROR,
  RPC_METHOD_NOT_FOUND,
  RPC_REPLY_TOO_LARGE,
  type RpcErrorObject,
} from './protocol.js'
import { assertSocketPathFits } from './socket-path.js'

const { EventEmitter2 } = eventemitter2

export interface ConnectOptions {
  readonly socketPath: string
  /** Default per-call timeout in ms (0 = none). @default 30000 */
  readonly timeout?: number
  /** How long to wait for the connection. @default 5000 */
  readonly connectTimeout?: number
  /**
   * The largest line accepted from the server. A reply over it rejects its
   * call with an `RpcError` (`rpcCode` -32002) and the connection stays up.
   * @default MAX_REPLY_BYTES (256 MiB)
   */
  readonly maxReplyBytes?: number
}

export interface CallOptions {
  /** This call's timeout in ms (0 = none); overrides the client's. */
  readonly timeout?: number
  readonly signal?: AbortSignal
}

type Remote<F> = F extends (...args: infer A) => infer R ? (...args: A) => Promise<Awaited<R>> : never

/** The Supervisor's allow-listed methods, each returning a promise. */
export type RemoteSupervisorMethods = {
  [K in SupervisorMethod as K extends keyof Supervisor ? K : never]: K extends keyof Supervisor ? Remote<Supervisor[K]> : never
}

/** A listener for a remote event: the payload, and the event's name (useful with wildcards). */
export type RemoteListener<E extends string> = (
  payload: E extends EventName ? Parameters<SupervisorEvents[E]>[0] : unknown,
  event: string,
) => void

export interface SupervisorClient extends RemoteSupervisorMethods, AsyncDisposable {
  /** Calls any method by name (Supervisor methods, `ping`, or a host's extras such as the daemon's `save`). */
  call<T = unknown>(method: string, params?: readonly unknown[], options?: CallOptions): Promise<T>
  /** Subscribes to an event name or pattern (`'process:*'`, `'log:*'`, `'**'`). Resolves once the server has it. */
  on<E extends EventName | (string & {})>(event: E, listener: RemoteListener<E>): Promise<void>
  off<E extends EventName | (string & {})>(event: E, listener: RemoteListener<E>): Promise<void>
  /** Resolves when the connection has closed, from either side. */
  readonly closed: Promise<void>
  close(): Promise<void>
}

interface Pending {
  readonly method: string
  resolve(value: unknown): void
  reject(error: unknown): void
  cleanup(): void
}

/** An event's `error` that is a TendError as data (`process:errored`'s) becomes an error of its class again. */
function withTendErrors(payload: unknown): unknown {
  if (typeof payload !== 'object' || payload === null || !('error' in payload)) return payload
  const error = payload.error as { code?: unknown; message?: unknown } | null
  if (typeof error?.code !== 'string' || !(ERROR_CODES as readonly string[]).includes(error.code)) return payload
  const message = typeof error.message === 'string' ? error.message : ''
  return { ...payload, error: errorFromWire({ code: 0, message, data: { ...error, code: error.code } }) }
}

function openSocket(socketPath: string, timeout: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = createConnection(socketPath)
    const timer = setTimeout(() => {
      socket.destroy()
      reject(new RpcError(RPC_INTERNAL_ERROR, `Could not connect to ${socketPath} within ${timeout} ms`))
    }, timeout)
    socket.once('connect', () => {
      clearTimeout(timer)
      socket.removeAllListeners('error')
      resolve(socket)
    })
    socket.once('error', (error) => {
      clearTimeout(timer)
      reject(error)
    })
  })
}

/**
 * Connects to a tend RPC server. Rejects with the socket error (ENOENT,
 * ECONNREFUSED…) when nothing answers, and with SocketError, before trying,
 * when the path is too long for a Unix socket.
 */
export async function connect(options: ConnectOptions): Promise<SupervisorClient> {
  assertSocketPathFits(options.socketPath)
  const socket = await openSocket(options.socketPath, options.connectTimeout ?? 5000)
  const defaultTimeout = options.timeout ?? 30_000
  const maxReplyBytes = options.maxReplyBytes ?? MAX_REPLY_BYTES
  const pending = new Map<number, Pending>()
  const events = new EventEmitter2({ wildcard: true, delimiter: ':', maxListeners: 0 })
  const subscribed = new Map<string, number>()
  let nextId = 1
  let closedError: Error | null = null

  const closed = new Promise<void>((resolve) => {
    socket.on('close', () => {
      closedError ??= new RpcError(RPC_INTERNAL_ERROR, 'The RPC connection closed')
      for (const call of pending.values()) {
        call.cleanup()
        call.reject(closedError)
      }
      pending.clear()
      resolve()
    })
  })
  socket.on('error', (error) => {
    closedError = new RpcError(RPC_INTERNAL_ERROR, `The RPC connection failed: ${error.message}`, { cause: error })
  })

  const decoder = new FrameDecoder(
    (line) => {
      let message: { id?: number | null; result?: unknown; error?: RpcErrorObject; method?: string; params?: [string, unknown] }
      try {
        message = JSON.parse(line) as typeof message
      } catch {
        return
      }
      if (message.method === 'event' && Array.isArray(message.params)) {
        const [name, payload] = message.params
        events.emit(name, withTendErrors(payload), name)
        return
      }
      if (typeof message.id !== 'number') {
        // An error the server could not tie to a request (a frame it could not parse): fail the oldest call.
        if (message.error) {
          const oldest = pending.entries().next().value
          if (oldest) {
            pending.delete(oldest[0])
            oldest[1].cleanup()
            oldest[1].reject(errorFromWire(message.error))
          }
        }
        return
      }
      const call = pending.get(message.id)
      if (!call) return
      pending.delete(message.id)
      call.cleanup()
      if (message.error) call.reject(errorFromWire(message.error))
      else call.resolve(message.result)
    },
    (head) => {
      // Only the line is lost: the call it answered (its id is in the first bytes) fails, the rest go on.
      const id = /^\{"jsonrpc":"2\.0","id":(\d+),/.exec(head)?.[1]
      const call = id === undefined ? undefined : pending.get(Number(id))
      if (!call) return // an event, or a call already timed out
      pending.delete(Number(id))
      call.cleanup()
      call.reject(
        new RpcError(RPC_REPLY_TOO_LARGE, `The reply to "${call.method}" is over this client's maxReplyBytes (${maxReplyBytes} bytes)`),
      )
    },
    maxReplyBytes,
  )
  socket.on('data', (chunk: Buffer) => decoder.push(chunk))

  const call = <T>(method: string, params: readonly unknown[] = [], callOptions: CallOptions = {}): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      if (closedError || socket.destroyed) {
        reject(closedError ?? new RpcError(RPC_INTERNAL_ERROR, 'The RPC connection is closed'))
        return
      }
      const { signal } = callOptions
      if (signal?.aborted) {
        reject(signal.reason)
        return
      }
      const id = nextId++
      const timeout = callOptions.timeout ?? defaultTimeout
      const timer = timeout > 0 ? setTimeout(() => fail(new RpcTimeoutError(method, timeout)), timeout) : null
      const onAbort = (): void => fail(signal!.reason)
      const fail = (error: unknown): void => {
        pending.delete(id)
        cleanup()
        reject(error)
      }
      const cleanup = (): void => {
        if (timer) clearTimeout(timer)
        signal?.removeEventListener('abort', onAbort)
      }
      signal?.addEventListener('abort', onAbort, { once: true })
      pending.set(id, { method, resolve, reject, cleanup })
      socket.write(`${JSON.stringify({ jsonrpc: '2.0', id, method, params })}\n`)
    })

  const client: Record<string | symbol, unknown> = {
    call,
    closed,
    async on(event: string, listener: (...args: unknown[]) => void) {
      events.on(event, listener)
      const count = subscribed.get(event) ?? 0
      subscribed.set(event, count + 1)
      if (count === 0) await call('subscribe', [event])
    },
    async off(event: string, listener: (...args: unknown[]) => void) {
      events.off(event, listener)
      const count = subscribed.get(event) ?? 0
      if (count <= 1) {
        subscribed.delete(event)
        if (count === 1 && !socket.destroyed) await call('unsubscribe', [event])
      } else subscribed.set(event, count - 1)
    },
    close() {
      if (!socket.destroyed) socket.end()
      // A server that does not close its side in time is not waited for.
      const timer = setTimeout(() => socket.destroy(), 1000)
      return closed.finally(() => clearTimeout(timer))
    },
  }
  client[Symbol.asyncDispose] = client.close
  for (const method of Object.keys(SUPERVISOR_METHODS)) {
    client[method] = (...args: unknown[]) => {
      // A trailing options object may hold an AbortSignal: honour it here, send the rest.
      const last = args[args.length - 1]
      let signal: AbortSignal | undefined
      if (last && typeof last === 'object' && 'signal' in last && (last as { signal?: unknown }).signal instanceof AbortSignal) {
        const { signal: given, ...rest } = last as { signal: AbortSignal }
        signal = given
        args = [...args.slice(0, -1), rest]
      }
      while (args.length > 0 && args[args.length - 1] === undefined) args = args.slice(0, -1)
      return call(method, args, { signal })
    }
  }
  // Each app's spec once on the wire (descriptions.ts); a daemon older than that answers plain describe.
  client.describe = async (...args: unknown[]) => {
    try {
      return expandDescriptions(await call<CompactDescriptions>(DESCRIBE_COMPACT, args))
    } catch (error) {
      if (error instanceof RpcError && error.rpcCode === RPC_METHOD_NOT_FOUND) return call('describe', args)
      throw error
    }
  }
  return client as unknown as SupervisorClient
}
