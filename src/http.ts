/**
 * `tendjs/http`: inside an app, the sockets tend holds for it and a drain
 * without races. Node apps in fork mode need neither (the fork preload
 * adopts held sockets for `listen()` calls and drains on the stop signal);
 * these are the explicit forms, for apps that prefer them or handle their
 * stop signal themselves. See docs/zero-downtime.md.
 *
 * @module tendjs/http
 */
import { createRequire } from 'node:module'
import type { Server } from 'node:net'
import { InvalidArgumentError } from './errors.js'
import { assetPath } from './runners/assets.js'

/** A socket passed with systemd's socket-activation protocol. */
export interface HeldSocket {
  /** 3, 4, … */
  readonly fd: number
  /** Its name in LISTEN_FDNAMES (`port-<port>` unless the spec named it). */
  readonly name: string
}

/** First fd of the protocol (SD_LISTEN_FDS_START). */
const FIRST_FD = 3

/**
 * The sockets this process was given (LISTEN_FDS, LISTEN_FDNAMES), in fd
 * order; [] when there are none, or when LISTEN_PID names another process
 * (the variables were inherited, the sockets were not meant for it).
 */
export function heldSockets(env: Readonly<Record<string, string | undefined>> = process.env): HeldSocket[] {
  const count = Number(env.LISTEN_FDS)
  if (!Number.isInteger(count) || count <= 0) return []
  if (env.LISTEN_PID !== undefined && env.LISTEN_PID !== String(process.pid)) return []
  const names = (env.LISTEN_FDNAMES ?? '').split(':')
  return Array.from({ length: count }, (_, i) => ({ fd: FIRST_FD + i, name: names[i] || `fd-${FIRST_FD + i}` }))
}

export interface AdoptOptions {
  /** Which socket: its name, or its index (0 for fd 3). @default 0 */
  readonly socket?: string | number
  /** The listen backlog. @default 511 */
  readonly backlog?: number
}

/**
 * Makes `server` listen on a held socket (the first, or the one named) and
 * resolves once it listens. Rejects with InvalidArgumentError when no such
 * socket was passed.
 */
export function adopt(server: Server, options: AdoptOptions = {}): Promise<HeldSocket> {
  const sockets = heldSockets()
  const which = options.socket ?? 0
  const socket = typeof which === 'number' ? sockets[which] : sockets.find((held) => held.name === which)
  if (!socket) {
    const passed =
      sockets.length === 0 ? 'none was passed (is `listen` in the app spec?)' : `passed: ${sockets.map((s) => s.name).join(', ')}`
    return Promise.reject(new InvalidArgumentError('socket', `No held socket ${JSON.stringify(which)}: ${passed}`))
  }
  return new Promise((resolve, reject) => {
    const onError = (error: Error): void => reject(error)
    server.once('error', onError)
    server.listen({ fd: socket.fd, backlog: options.backlog ?? 511 }, () => {
      server.off('error', onError)
      resolve(socket)
    })
  })
}

export interface DrainOptions {
  /** After this many ms the connections left are destroyed and drain resolves. @default 10000 */
  readonly timeout?: number
  /** Idle keep-alive connections are closed after this many ms (until then each may carry one last request). @default min(1000, timeout / 2) */
  readonly grace?: number
}

type DrainFn = (server: Server, options?: DrainOptions) => Promise<void>
let drainImpl: DrainFn | undefined

/**
 * Ends a server gracefully: stops accepting, answers every request from now
 * on with `Connection: close`, closes idle keep-alive connections after
 * `grace` (never at once, as `server.close()` does since Node 19, which a
 * client reusing one sees as ECONNRESET), and resolves when the last
 * connection has ended (or after `timeout`). On a held socket the socket
 * itself stays open: connections that arrive meanwhile wait for the next
 * instance.
 */
export function drain(server: Server, options: DrainOptions = {}): Promise<void> {
  for (const key of ['timeout', 'grace'] as const) {
    const value = options[key]
    if (value !== undefined && (typeof value !== 'number' || !(value >= 0))) {
      return Promise.reject(new InvalidArgumentError(key, `drain(): ${key} must be a number of ms ≥ 0, got ${String(value)}`))
    }
  }
  // The fork preload uses the very same code, so it lives beside it as CommonJS.
  drainImpl ??= (createRequire(import.meta.url)(assetPath('http-drain.cjs')) as { drain: DrainFn }).drain
  return drainImpl(server, options)
}
