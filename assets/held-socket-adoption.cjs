'use strict'
// Loaded by the fork preload when the supervisor holds sockets for the app
// (TEND_LISTEN: [{ fd, host, port, backlog }], the same sockets as
// LISTEN_FDS). For node apps that need no change:
// 1. LISTEN_PID is set to this process's pid (no shell shim for node).
// 2. server.listen(port), listen(port, host), listen({ port, host }) and
//    listen({ fd }) on a held port or fd listen on the held socket instead
//    of binding a new one (which would fail: the supervisor has the
//    address). Each held socket is adopted once; other calls are untouched.
// 3. Once a server listens on a held socket, the supervisor is told
//    (`tend:listening`): that is when the instance is online.
// 4. On the stop signal, unless the app handles that signal itself, the
//    adopted servers drain (assets/http-drain.cjs) and the process exits.
const net = require('node:net')
const { drain } = require('./http-drain.cjs')

function parseHeld() {
  try {
    const held = JSON.parse(process.env.TEND_LISTEN)
    return Array.isArray(held) ? held.filter((s) => Number.isInteger(s.fd) && Number.isInteger(s.port)) : []
  } catch {
    return []
  }
}

function toPort(value) {
  if (typeof value === 'number') return value
  if (typeof value === 'string' && /^\d+$/.test(value.trim())) return Number(value)
  return undefined
}

/** The port, host and fd a listen() call asks for, as node's own argument rules read them. */
function requested(args) {
  const [first, second] = args
  if (first !== null && typeof first === 'object') {
    if (first._handle || first.handle) return null // listen(handle)
    return { port: toPort(first.port), host: first.host, fd: first.fd, backlog: first.backlog }
  }
  const port = toPort(first)
  if (port === undefined) return null // a pipe path, or listen(cb)
  return { port, host: typeof second === 'string' ? second : undefined, fd: undefined, backlog: undefined }
}

function adoptHeldSockets({ killSignal, killTimeout }) {
  const held = parseHeld()
  delete process.env.TEND_LISTEN
  process.env.LISTEN_PID = String(process.pid)
  if (held.length === 0) return
  const adopted = new Map() // fd → server
  const servers = new Set()

  function pick(request) {
    const free = held.filter((socket) => !adopted.has(socket.fd))
    if (Number.isInteger(request.fd)) return free.find((socket) => socket.fd === request.fd)
    if (request.port === undefined || request.port === 0) return undefined
    const samePort = free.filter((socket) => socket.port === request.port)
    const host = request.host === 'localhost' ? '127.0.0.1' : request.host
    // The held address on that host first; otherwise any held socket on the port (binding it anew could only fail).
    return samePort.find((socket) => socket.host === host) ?? samePort[0]
  }

  const listen = net.Server.prototype.listen
  net.Server.prototype.listen = function listenOnHeldSocket(...args) {
    const request = requested(args)
    const socket = request && pick(request)
    if (!socket) return listen.apply(this, args)
    const callback = typeof args[args.length - 1] === 'function' ? args[args.length - 1] : undefined
    adopted.set(socket.fd, this)
    servers.add(this)
    this.once('listening', () => {
      if (typeof process.send === 'function' && process.connected) {
        process.send({ type: 'tend:listening', fd: socket.fd }, () => undefined)
      }
    })
    this.once('close', () => servers.delete(this))
    return callback
      ? listen.call(this, { fd: socket.fd, backlog: request.backlog ?? socket.backlog }, callback)
      : listen.call(this, { fd: socket.fd, backlog: request.backlog ?? socket.backlog })
  }

  let stopping = false
  process.on(killSignal, function tendDrainHeldServers() {
    // The app's own handler decides how it stops.
    if (process.listenerCount(killSignal) > 1 || stopping) return
    stopping = true
    const timeout = Math.max(0, killTimeout - 100)
    Promise.all([...servers].map((server) => drain(server, { timeout }))).then(
      () => process.exit(process.exitCode ?? 0),
      () => process.exit(process.exitCode ?? 0),
    )
  })
}

module.exports = { adoptHeldSockets }
