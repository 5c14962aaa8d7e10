'use strict'
// Loaded with --require into every node process tend runs in fork mode.
// 1. A child whose supervisor dies sees its IPC channel close. It then sends
//    the stop signal to its own process group (it leads one), so the app's
//    handler runs and grandchildren get the signal too, and SIGKILLs the
//    group after the kill timeout: a killed supervisor leaves no orphans.
//    The listener does not count as a reason to stay alive: a script that
//    ends, ends.
// 2. Uncaught exceptions are reported to the supervisor (monitor only: the
//    process still crashes exactly as it would without tend).
// 3. With sockets held by the supervisor (TEND_LISTEN, see
//    assets/held-socket-adoption.cjs): listen() on a held port adopts the
//    held socket, and the stop signal drains those servers.
const killSignal = process.env.TEND_KILL_SIGNAL || 'SIGINT'
const killTimeout = Number(process.env.TEND_KILL_TIMEOUT || 1600)
const group = process.env.TEND_TREEKILL === '1'
delete process.env.TEND_KILL_SIGNAL
delete process.env.TEND_KILL_TIMEOUT
delete process.env.TEND_TREEKILL
if (process.env.TEND_LISTEN) require('./held-socket-adoption.cjs').adoptHeldSockets({ killSignal, killTimeout })

function signalSelf(signal) {
  try {
    process.kill(group ? -process.pid : process.pid, signal)
  } catch {
    process.exit(process.exitCode ?? 0)
  }
}

if (typeof process.send === 'function') {
  process.on('disconnect', function tendSupervisorGone() {
    // Whatever is left of the group (grandchildren that ignore the signal) goes as the leader goes.
    if (group) process.once('exit', () => signalSelf('SIGKILL'))
    // With no handler of the app's, the signal's default action would skip 'exit' handlers.
    if (process.listenerCount(killSignal) === 0) process.once(killSignal, () => process.exit(process.exitCode ?? 0))
    setTimeout(() => signalSelf('SIGKILL'), killTimeout).unref()
    signalSelf(killSignal)
  })
  if (process.channel && typeof process.channel.unrefCounted === 'function') process.channel.unrefCounted()
  process.on('uncaughtExceptionMonitor', function tendReportException(error) {
    try {
      const e = error instanceof Error ? error : new Error(String(error))
      process.send({ type: 'tend:exception', error: { name: e.name, message: e.message, stack: e.stack } })
    } catch {
      // the channel is gone; the crash itself is still reported by the exit
    }
  })
}
