/**
 * A real pseudo-terminal: a tmux server of its own (a private socket in a
 * temp dir) running one bash, killed after the test with proof that the
 * server is gone and the dir removed.
 */
import { execFile } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { expect } from 'vitest'
import { isAlive, onCleanup, until } from '../../helpers.js'

const run = promisify(execFile)

export interface Tmux {
  readonly dir: string
  /** The pane's text now (with `escapes`, its colours as ANSI sequences). */
  capture(options?: { escapes?: boolean }): Promise<string>
  /** tmux key names (`Enter`, `C-c`, `Up`) or, with literal, text typed as it is. */
  send(keys: string, options?: { literal?: boolean }): Promise<void>
  /** A tmux format of the pane (`#{alternate_on}`, `#{cursor_flag}`). */
  display(format: string): Promise<string>
  /** Waits until the pane's text passes `check`; returns that text. */
  waitFor(check: (screen: string) => boolean, message: string, timeout?: number): Promise<string>
}

export async function tmuxSession(options: { columns: number; rows: number; env: Record<string, string> }): Promise<Tmux> {
  const dir = mkdtempSync('/tmp/tend-tmux-')
  const socket = join(dir, 'sock')
  const tmux = async (...args: string[]): Promise<string> => (await run('tmux', ['-S', socket, ...args], { encoding: 'utf8' })).stdout
  const env = Object.entries(options.env).map(([key, value]) => `${key}=${value}`)
  await tmux(
    'new-session',
    '-d',
    '-x',
    String(options.columns),
    '-y',
    String(options.rows),
    'env',
    ...env,
    'PS1=$ ',
    'bash',
    '--norc',
    '--noprofile',
  )
  const serverPid = Number((await tmux('display-message', '-p', '#{pid}')).trim())
  onCleanup(async () => {
    await tmux('kill-server').catch(() => undefined)
    await until(() => !isAlive(serverPid), { timeout: 10_000, message: `the tmux server (pid ${serverPid}) to be gone` })
    rmSync(dir, { recursive: true, force: true })
    expect(existsSync(dir)).toBe(false)
  })
  const capture: Tmux['capture'] = async ({ escapes = false } = {}) => tmux('capture-pane', '-p', ...(escapes ? ['-e'] : []))
  let last = ''
  return {
    dir,
    capture,
    async send(keys, { literal = false } = {}) {
      await tmux('send-keys', ...(literal ? ['-l'] : []), keys)
    },
    async display(format) {
      return (await tmux('display-message', '-p', format)).trim()
    },
    async waitFor(check, message, timeout = 60_000) {
      const deadline = Date.now() + timeout
      for (;;) {
        last = await capture()
        if (check(last)) return last
        if (Date.now() > deadline) throw new Error(`Timed out after ${timeout} ms waiting for ${message}; the screen:\n${last}`)
        await new Promise((resolve) => setTimeout(resolve, 100))
      }
    },
  }
}
