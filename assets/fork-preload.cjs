'use strict'
// Loaded with --require into every node process tend runs in fork mode.
// 1. A child whose supervisor dies sees its IPC channel close and exits, so a
//    killed supervisor leaves no orphans. The listener does not count as a
//    reason to stay alive: a script that ends, ends.
// 2. Uncaught exceptions are reported to the supervisor (monitor only: the
//    process still crashes exactly as it would without tend).
if (typeof process.send === 'function') {
  process.on('disconnect', function tendSupervisorGone() {
    process.exit(process.exitCode ?? 0)
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
