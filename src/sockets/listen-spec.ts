/**
 * The `listen` option: the sockets the supervisor binds and holds for an app.
 * `3000`, `'127.0.0.1:3000'`, `'[::1]:3000'`, `{ port, host?, name?, backlog? }`
 * or an array of these. Called from normalizeSpec, which owns the error template.
 */
import { isIP } from 'node:net'
import type { SpecFields } from '../config/spec-fields.js'
import type { NormalizedListen } from '../types.js'

/** Reports an invalid option: names it, says what was expected and shows what was given. */
export type Fail = (option: string, expected: string, value: unknown) => never

/** The kernel's usual cap (`somaxconn`) and node's own default. */
export const DEFAULT_BACKLOG = 511

const FORMS = "a port (3000), 'host:port' ('127.0.0.1:3000', '[::1]:3000'), { port, host?, name?, backlog? }, or an array of these"
const NAME = /^[A-Za-z0-9_.-]{1,255}$/
const ENTRY_KEYS = ['port', 'host', 'name', 'backlog']

function port(value: unknown, option: string, fail: Fail): number {
  const n = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n > 65535) return fail(option, 'a port: an integer from 0 to 65535', value)
  return n
}

function host(value: unknown, option: string, fail: Fail): string | null {
  if (value === undefined || value === null || value === '' || value === '*') return null
  if (typeof value !== 'string') return fail(option, "an IP address ('127.0.0.1', '::1', '0.0.0.0') or 'localhost'", value)
  const bare = value.startsWith('[') && value.endsWith(']') ? value.slice(1, -1) : value
  if (bare === 'localhost') return '127.0.0.1'
  if (isIP(bare) === 0)
    return fail(option, "an IP address ('127.0.0.1', '::1', '0.0.0.0') or 'localhost' (tend binds before any name lookup)", value)
  return bare
}

function fromString(value: string, option: string, fail: Fail): { host: string | null; port: number } {
  const text = value.trim()
  if (/^\d+$/.test(text)) return { host: null, port: port(text, option, fail) }
  const bracketed = /^\[([^\]]+)\]:(\d+)$/.exec(text)
  if (bracketed) return { host: host(bracketed[1], option, fail), port: port(bracketed[2], option, fail) }
  const plain = /^([^:[\]]*):(\d+)$/.exec(text)
  if (plain) return { host: host(plain[1], option, fail), port: port(plain[2], option, fail) }
  return fail(option, FORMS, value)
}

function entry(value: unknown, option: string, fail: Fail): { host: string | null; port: number; name: string | null; backlog: number } {
  if (typeof value === 'number') return { host: null, port: port(value, option, fail), name: null, backlog: DEFAULT_BACKLOG }
  if (typeof value === 'string') return { ...fromString(value, option, fail), name: null, backlog: DEFAULT_BACKLOG }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return fail(option, FORMS, value)
  const input = value as Record<string, unknown>
  for (const key of Object.keys(input))
    if (!ENTRY_KEYS.includes(key)) fail(`${option}.${key}`, `one of ${ENTRY_KEYS.join(', ')} as the key`, key)
  if (input.port === undefined) fail(`${option}.port`, 'a port: an integer from 0 to 65535', undefined)
  const name = input.name
  if (name !== undefined && (typeof name !== 'string' || !NAME.test(name)))
    fail(`${option}.name`, 'a name of letters, digits, _ . - (no colon: LISTEN_FDNAMES separates names with colons)', name)
  const backlog = input.backlog ?? DEFAULT_BACKLOG
  if (typeof backlog !== 'number' || !Number.isInteger(backlog) || backlog < 1) fail(`${option}.backlog`, 'an integer ≥ 1', backlog)
  return {
    host: host(input.host, `${option}.host`, fail),
    port: port(input.port, `${option}.port`, fail),
    name: name ?? null,
    backlog: backlog,
  }
}

/** The app's sockets, in the order they are handed over (fd 3, 4, …); [] when there are none. */
export function normalizeListen(value: unknown, fail: Fail): readonly NormalizedListen[] {
  if (value === undefined || value === null || value === false) return []
  const list = Array.isArray(value) ? value : [value]
  const sockets = list.map((item, index) => entry(item, Array.isArray(value) ? `listen[${index}]` : 'listen', fail))
  const addresses = new Set<string>()
  const names = new Set<string>()
  for (const [index, socket] of sockets.entries()) {
    const address = `${socket.host ?? '*'}:${socket.port}`
    if (socket.port !== 0 && addresses.has(address)) fail(`listen[${index}]`, 'each address once', list[index])
    addresses.add(address)
    if (socket.name !== null && names.has(socket.name)) fail(`listen[${index}].name`, 'a name no other socket of the app has', socket.name)
    if (socket.name !== null) names.add(socket.name)
  }
  return Object.freeze(sockets.map((socket) => Object.freeze(socket)))
}

/** How an address reads in messages and ProcessInfo: `127.0.0.1:3000`, `[::1]:3000`, `*:3000`. */
export function formatAddress(host: string | null, port: number): string {
  if (host === null) return `*:${port}`
  return isIP(host) === 6 ? `[${host}]:${port}` : `${host}:${port}`
}

/** Why a spec's `listen` cannot work with the rest of it, or null. */
export function listenProblem(spec: {
  readonly listen: readonly NormalizedListen[]
  readonly mode: string
  readonly incrementVar: string | null
}): string | null {
  if (spec.listen.length === 0) return null
  if (spec.mode === 'cluster') {
    return "is for fork mode: N fork instances share the held sockets (any language). Cluster mode shares its port through node:cluster's primary; use mode 'fork' with instances, or drop listen"
  }
  if (process.platform === 'win32')
    return "needs a socket passed as a file descriptor, which Windows cannot listen on; use mode 'cluster' for a node app"
  if (spec.incrementVar === 'PORT')
    return 'sets PORT to the held port for every instance; incrementVar PORT would give each instance a port no one holds'
  return null
}

/** The spec's `listen`, read through the normalize step's fields (one message template for every option). */
export function normalizeListenOption(fields: SpecFields): readonly NormalizedListen[] {
  return normalizeListen(fields.get('listen'), (option, expected, value) => fields.fail(option, expected, value))
}
