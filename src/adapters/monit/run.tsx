/**
 * Runs `tend monit` in this terminal: the alternate screen, raw keys, and a
 * terminal given back as it was however the screen ends (q, Ctrl-C, a
 * signal, the daemon going away, an error).
 */
import { writeSync } from 'node:fs'
import { render } from 'ink'
import type { DashboardSource } from '../dashboard/source.js'
import { Monit } from './app.js'

export interface RunMonitOptions {
  readonly source: DashboardSource
  readonly label?: string
  /** false with NO_COLOR. */
  readonly color: boolean
}

/** How the screen ended. */
export type MonitEnd = 'quit' | 'daemon-gone'

const ENTER = '\x1b[?1049h\x1b[2J\x1b[H'
const LEAVE = '\x1b[?25h\x1b[?1049l'

export async function runMonit(options: RunMonitOptions): Promise<MonitEnd> {
  let left = false
  // Synchronous, so it also runs from an 'exit' handler.
  const leave = (): void => {
    if (left) return
    left = true
    try {
      writeSync(1, LEAVE)
    } catch {
      // the terminal is gone
    }
  }
  process.stdout.write(ENTER)
  process.once('exit', leave)

  let finish!: (end: MonitEnd) => void
  const ended = new Promise<MonitEnd>((resolve) => (finish = resolve))
  const onSignal = (): void => finish('quit')
  process.once('SIGINT', onSignal)
  process.once('SIGTERM', onSignal)
  process.once('SIGHUP', onSignal)
  void options.source.gone.then(() => finish('daemon-gone'))

  const app = render(<Monit source={options.source} label={options.label} color={options.color} onQuit={() => finish('quit')} />, {
    exitOnCtrlC: false,
    patchConsole: false,
    maxFps: 10,
  })
  try {
    return await ended
  } finally {
    app.unmount()
    await app.waitUntilExit().catch(() => undefined)
    leave()
    process.off('exit', leave)
    process.off('SIGINT', onSignal)
    process.off('SIGTERM', onSignal)
    process.off('SIGHUP', onSignal)
  }
}
