'use strict'
// drain(server, { timeout, grace }): the graceful end of a server, without
// the races of server.close(). Shared by the fork preload (on the stop
// signal, for servers on held sockets) and `tendjs/http`.
// 1. Stop accepting: server.close(), with its closeIdleConnections() held
//    back (since Node 19 close() ends idle keep-alive connections at once,
//    and a client that reuses one at that moment gets ECONNRESET).
// 2. Every request from now on is answered with `Connection: close`, so each
//    keep-alive connection closes after its next response.
// 3. Connections still idle after `grace` are ones no client is using:
//    they are closed then.
// 4. Resolves when the last connection has ended; after `timeout` the ones
//    left are destroyed and it resolves.
const DEFAULT_TIMEOUT = 10_000
const POLL = 50

function drain(server, options = {}) {
  const timeout = options.timeout ?? DEFAULT_TIMEOUT
  const grace = options.grace ?? Math.min(1000, timeout / 2)
  for (const [name, value] of [
    ['timeout', timeout],
    ['grace', grace],
  ]) {
    if (typeof value !== 'number' || !(value >= 0))
      return Promise.reject(new RangeError(`drain: ${name} must be a number of ms ≥ 0, got ${value}`))
  }
  const isHttp = typeof server.closeIdleConnections === 'function'
  return new Promise((resolve) => {
    const timers = []
    const onRequest = (_request, response) => {
      if (!response.headersSent) response.setHeader('Connection', 'close')
    }
    let done = false
    const finish = () => {
      if (done) return
      done = true
      for (const timer of timers) clearTimeout(timer)
      if (isHttp) server.off('request', onRequest)
      resolve()
    }
    const later = (ms, fn) => {
      const timer = setTimeout(fn, ms)
      timer.unref()
      timers.push(timer)
    }
    if (isHttp) server.prependListener('request', onRequest)
    if (server.listening) {
      if (isHttp) {
        // close() calls closeIdleConnections() first: not yet.
        server.closeIdleConnections = function heldBackByDrain() {}
        try {
          server.close(finish)
        } finally {
          delete server.closeIdleConnections
        }
      } else server.close(finish)
    } else {
      // Already closed (or never listening): wait for the connections it still has.
      const poll = () => server.getConnections((error, count) => (error || count === 0 ? finish() : later(POLL, poll)))
      poll()
    }
    if (isHttp) later(grace, () => server.closeIdleConnections())
    later(timeout, () => {
      if (typeof server.closeAllConnections === 'function') server.closeAllConnections()
      finish()
    })
  })
}

module.exports = { drain }
