'use strict'
// The script every cluster worker runs first. It loads the user's script as
// its main module (CommonJS or ESM, by extension and the nearest
// package.json "type", exactly as `node script.js` would), and:
// 1. raises the stop signal on itself so the app's own SIGINT/SIGTERM
//    handler runs (or the default ends it), with a hard exit after the kill
//    timeout should the app linger: when the IPC channel to the supervisor
//    closes (a graceful disconnect after the servers drained, or the
//    supervisor died); when a stop's drain has had its grace period and a
//    server is still open (WebSocket or SSE connections hold it: the app's
//    handler is what closes them, say with 1001); and when the worker would
//    end by itself once drained (its server was all that kept it alive), so
//    the handler runs before it goes, every time;
// 2. reports uncaught exceptions to the supervisor (monitor only);
// 3. drains HTTP keep-alive connections without a race when told to stop
//    ({ type: 'tend:drain' }, sent right before the disconnect): every
//    response from then on says `Connection: close`, and idle keep-alive
//    connections are not cut while a client may be sending on them; each
//    closes after its next response (or by the server's keepAliveTimeout).
const Module = require('node:module')
const diagnostics = require('node:diagnostics_channel')

const [node, , script, ...args] = process.argv
const killSignal = process.env.TEND_KILL_SIGNAL || 'SIGINT'
const killTimeout = Number(process.env.TEND_KILL_TIMEOUT || 1600)
delete process.env.TEND_KILL_SIGNAL
delete process.env.TEND_KILL_TIMEOUT
process.argv = [node, script, ...args]

let stopSignalRaised = false
function raiseStopSignal() {
  if (stopSignalRaised) return
  stopSignalRaised = true
  setTimeout(() => process.exit(process.exitCode ?? 0), killTimeout).unref()
  // The app's handlers are called at once: a signal sent to itself arrives
  // only while something keeps the event loop alive, which at the end of a
  // drain may be nothing.
  if (process.listenerCount(killSignal) > 0) return void process.emit(killSignal, killSignal)
  try {
    process.kill(process.pid, killSignal)
  } catch {
    process.exit(process.exitCode ?? 0)
  }
}
process.on('disconnect', raiseStopSignal)
process.on('beforeExit', function tendDrainedWorkerEnds() {
  if (draining) raiseStopSignal()
})
if (process.channel && typeof process.channel.unrefCounted === 'function') process.channel.unrefCounted()

process.on('uncaughtExceptionMonitor', function tendReportException(error) {
  try {
    const e = error instanceof Error ? error : new Error(String(error))
    if (process.connected) process.send({ type: 'tend:exception', error: { name: e.name, message: e.message, stack: e.stack } })
  } catch {
    // the channel is gone; the exit still reports the crash
  }
})

// Nothing is hooked until a drain begins: no cost per request before.
let draining = false
function closeAfterResponse({ response }) {
  response.setHeader('Connection', 'close')
}
process.on('message', function tendControl(message) {
  if (!message || message.type !== 'tend:drain' || draining) return
  draining = true
  diagnostics.subscribe('http.server.request.start', closeAfterResponse)
  // Closing idle keep-alive sockets races with a client reusing them at that
  // moment: at first, let each carry a last request answered with
  // `Connection: close`. A connection still idle after a grace period (half
  // the kill timeout, at most a second) is one its client is not using; it
  // is closed then, rather than holding the worker until SIGKILL.
  const closing = new Map()
  for (const Server of [require('node:http').Server, require('node:https').Server]) {
    const closeIdle = Server.prototype.closeIdleConnections
    // server.close() (called by the disconnect) calls this first
    Server.prototype.closeIdleConnections = function keepIdleConnectionsForNow() {
      closing.set(this, closeIdle)
    }
  }
  setTimeout(
    () => {
      for (const [server, closeIdle] of closing) closeIdle.call(server)
      // long-lived connections (WebSocket, SSE) keep the server open: let the app close them
      raiseStopSignal()
    },
    Math.min(1000, killTimeout / 2),
  ).unref()
})
if (process.channel && typeof process.channel.unrefCounted === 'function') process.channel.unrefCounted()

Module.runMain(script)
