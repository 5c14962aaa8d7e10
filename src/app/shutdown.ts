/**
 * onShutdown(): callbacks run on a graceful stop, then the process exits.
 * A stop reaches the child as its kill signal (SIGINT by default, or
 * whatever `killSignal` says; cluster workers get it once their servers
 * have closed) or as the 'shutdown' message (`shutdownWithMessage`), and
 * tend SIGKILLs it after `killTimeout`: the callbacks have until then.
 */
import { onSupervisorMessage } from './transport.js'

export type ShutdownCallback = () => unknown

/** The signals tend's `killSignal` is usually set to. */
const STOP_SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM']

const callbacks: ShutdownCallback[] = []
let installed = false
let shuttingDown: Promise<void> | null = null

async function runCallbacks(): Promise<void> {
  // in the order registered; one failing does not stop the others
  for (const callback of callbacks) {
    try {
      await callback()
    } catch (error) {
      process.exitCode ??= 1
      process.emitWarning(`tendjs/app: an onShutdown callback failed: ${String((error as Error)?.stack ?? error)}`)
    }
  }
}

function shutdown(): Promise<void> {
  shuttingDown ??= runCallbacks().then(() => process.exit(process.exitCode ?? 0))
  return shuttingDown
}

function install(): void {
  if (installed) return
  installed = true
  const signals = new Set([
    ...STOP_SIGNALS,
    ...(process.env.TEND_APP_KILL_SIGNAL ? [process.env.TEND_APP_KILL_SIGNAL as NodeJS.Signals] : []),
  ])
  for (const signal of signals) {
    try {
      process.on(signal, () => void shutdown())
    } catch {
      // a signal this platform does not have
    }
  }
  if (typeof process.send === 'function') {
    onSupervisorMessage((message) => {
      if (message === 'shutdown') void shutdown()
    })
  }
}

/**
 * Runs `callback` (awaited, in the order registered) when the process is
 * asked to stop gracefully, then exits with `process.exitCode` (0 unless set,
 * 1 if a callback threw). Works unsupervised too: SIGINT and SIGTERM.
 */
export function onShutdown(callback: ShutdownCallback): void {
  if (typeof callback !== 'function') throw new TypeError('onShutdown() needs a function')
  callbacks.push(callback)
  install()
}
