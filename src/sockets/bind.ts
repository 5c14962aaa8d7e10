/**
 * Binding the sockets of one app, all or nothing. The supervisor binds each
 * address (so a failure is reported here, in-process, with its errno) but
 * never accepts on it: node cannot listen on a socket without its event loop
 * accepting the connections, so listen(2) runs in a short helper process
 * that exits at once, before its event loop ever turns. The socket stays
 * listening, held by the supervisor's fd, and connections wait in its
 * backlog until an instance accepts them.
 */
import { spawn } from 'node:child_process'
import net from 'node:net'
import { getSystemErrorName } from 'node:util'
import { ListenError } from '../errors.js'
import type { NormalizedListen, SocketInfo } from '../types.js'
import { formatAddress } from './listen-spec.js'
import { findPortHolder } from './port-holder.js'

/** The part of node's TCP handle tend uses (bound by `net._createServerHandle`, never listened on here). */
interface TcpHandle {
  readonly fd: number
  getsockname(out: { address?: string; port?: number; family?: string }): number
  close(): void
}

type CreateServerHandle = (address: string | null, port: number, addressType: number, fd?: number, flags?: number) => TcpHandle | number

/** One bound, listening socket the supervisor holds. */
export interface BoundSocket {
  readonly info: SocketInfo
  readonly backlog: number
  /** The supervisor's own fd of it (passed to children at 3, 4, …). */
  readonly fd: number
  close(): void
}

/** First fd of the socket-activation protocol (SD_LISTEN_FDS_START). */
export const FIRST_FD = 3

// net._createServerHandle is how node:cluster's primary binds a shared handle
// without listening; it has been on node:net for every release tend supports.
const createServerHandle = (net as unknown as { _createServerHandle?: CreateServerHandle })._createServerHandle

// Synchronous from the first line to the exit: the event loop never turns, so it never accepts.
const HELPER = `
const net = require('node:net')
const { writeSync } = require('node:fs')
const backlogs = JSON.parse(process.argv[1])
for (let i = 0; i < backlogs.length; i++) {
  const handle = net._createServerHandle(null, 0, 4, ${FIRST_FD} + i)
  const error = typeof handle === 'number' ? handle : handle.listen(backlogs[i])
  if (error) {
    writeSync(2, JSON.stringify({ index: i, errno: error }))
    process.exit(1)
  }
}
process.exit(0)
`

function errnoName(errno: number): string {
  try {
    return getSystemErrorName(errno)
  } catch {
    return `errno ${errno}`
  }
}

function reasonOf(errno: string | undefined): ListenError['reason'] {
  if (errno === 'EADDRINUSE') return 'in-use'
  if (errno === 'EACCES' || errno === 'EPERM') return 'privileged'
  if (errno === 'EADDRNOTAVAIL') return 'address-unavailable'
  return 'other'
}

async function listenError(app: string, spec: NormalizedListen, errno: string | undefined): Promise<ListenError> {
  const reason = reasonOf(errno)
  const holder = reason === 'in-use' && spec.port !== 0 ? await findPortHolder(spec.host, spec.port) : null
  return new ListenError(app, formatAddress(spec.host, spec.port), { reason, errno, holder })
}

/** Binds one address; an errno name when the OS refuses. */
function bindOne(spec: NormalizedListen): { handle: TcpHandle; host: string; port: number } | { errno: string } {
  if (!createServerHandle) return { errno: 'ENOTSUP' }
  const family = spec.host === null ? 6 : net.isIP(spec.host)
  const result = createServerHandle(spec.host, spec.port, family)
  if (typeof result === 'number') return { errno: errnoName(result) }
  // libuv defers EADDRINUSE from bind to listen: a socket that did not take the address has none.
  const out: { address?: string; port?: number } = {}
  const status = result.getsockname(out)
  if (status !== 0 || out.port === undefined || out.port === 0 || (spec.port !== 0 && out.port !== spec.port)) {
    result.close()
    return { errno: status < 0 ? errnoName(status) : 'EADDRINUSE' }
  }
  return { handle: result, host: out.address ?? spec.host ?? '::', port: out.port }
}

/** listen(2) on every fd in a helper process; resolves with the index and errno of a failure, or null. */
function listenInHelper(handles: readonly TcpHandle[], backlogs: readonly number[]): Promise<{ index: number; errno: string } | null> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['-e', HELPER, JSON.stringify(backlogs)], {
      stdio: ['ignore', 'ignore', 'pipe', ...handles.map((handle) => handle.fd)],
      env: {},
      windowsHide: true,
    })
    let stderr = ''
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
    child.once('error', (error: NodeJS.ErrnoException) => resolve({ index: 0, errno: error.code ?? 'ESPAWN' }))
    child.once('close', (code) => {
      if (code === 0) return resolve(null)
      try {
        const failure = JSON.parse(stderr) as { index: number; errno: number }
        resolve({ index: failure.index, errno: errnoName(failure.errno) })
      } catch {
        resolve({ index: 0, errno: `listen helper exited with ${code}` })
      }
    })
  })
}

/**
 * Binds and listens on every socket of an app, or on none: when one fails,
 * the ones bound before it are closed and a ListenError names the address.
 */
export async function bindSockets(app: string, specs: readonly NormalizedListen[]): Promise<BoundSocket[]> {
  const bound: { handle: TcpHandle; host: string; port: number; spec: NormalizedListen }[] = []
  const closeAll = (): void => {
    for (const socket of bound) socket.handle.close()
  }
  for (const spec of specs) {
    const result = bindOne(spec)
    if ('errno' in result) {
      closeAll()
      throw await listenError(app, spec, result.errno)
    }
    bound.push({ ...result, spec })
  }
  if (bound.length === 0) return []
  const failure = await listenInHelper(
    bound.map((socket) => socket.handle),
    specs.map((spec) => spec.backlog),
  )
  if (failure) {
    closeAll()
    throw await listenError(app, specs[failure.index] ?? specs[0]!, failure.errno)
  }
  return bound.map(({ handle, host, port, spec }, index) => {
    let open = true
    return {
      info: Object.freeze({ name: spec.name ?? `port-${port}`, host, port, fd: FIRST_FD + index }),
      backlog: spec.backlog,
      fd: handle.fd,
      close: () => {
        if (open) handle.close()
        open = false
      },
    }
  })
}
