/**
 * Runs the real `tend` CLI (its TypeScript entry through tsx, so no stale
 * build is ever tested) against a real daemon in a temp TEND_HOME, and
 * proves after each test that the daemon and every process it ran are gone.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { isAlive, onCleanup, until } from '../../helpers.js'
import type { ProcessInfo } from '../../../src/index.js'

export const cliEntry = fileURLToPath(new URL('../../../src/adapters/cli/main.ts', import.meta.url))
const tsxLoader = import.meta.resolve('tsx')

export interface CliResult {
  readonly code: number
  readonly stdout: string
  readonly stderr: string
}

export interface TendHome {
  readonly home: string
  /** Runs `tend <args>` and resolves with its exit code and output (never rejects on a non-zero exit). */
  run(args: readonly string[], options?: { cwd?: string; env?: Record<string, string> }): Promise<CliResult>
  /** Runs `tend <args>`, expects exit 0, and parses stdout as JSON. */
  json<T = unknown>(args: readonly string[], options?: { cwd?: string; env?: Record<string, string> }): Promise<T>
  /** Starts `tend <args>` as a long-running child (runtime, logs --follow). */
  spawn(args: readonly string[], options?: { cwd?: string }): ChildProcess
  /** Pids to prove dead after the test (daemon, apps). */
  track(...pids: (number | null | undefined)[]): void
  daemonPid(): number | null
}

export function cliArgs(args: readonly string[]): string[] {
  return ['--import', tsxLoader, cliEntry, ...args]
}

/** A fresh TEND_HOME under /tmp (short: the socket path must stay under ~107 bytes). */
export function tendHome(): TendHome {
  const home = mkdtempSync('/tmp/tend-')
  const pids = new Set<number>()
  const env = (extra: Record<string, string> = {}): NodeJS.ProcessEnv => ({ ...process.env, TEND_HOME: home, ...extra })
  const daemonPid = (): number | null => {
    try {
      const pid = Number.parseInt(readFileSync(`${home}/tend.pid`, 'utf8'), 10)
      return Number.isInteger(pid) ? pid : null
    } catch {
      return null
    }
  }
  const run: TendHome['run'] = (args, options = {}) =>
    new Promise((resolve) => {
      execFile(
        process.execPath,
        cliArgs(args),
        { cwd: options.cwd ?? home, env: env(options.env), timeout: 120_000, maxBuffer: 64 * 1024 * 1024 },
        (error, stdout, stderr) => {
          const pid = daemonPid()
          if (pid) pids.add(pid)
          const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0
          resolve({ code, stdout, stderr })
        },
      )
    })
  const tracked: TendHome = {
    home,
    run,
    async json<T>(args: readonly string[], options?: { cwd?: string; env?: Record<string, string> }): Promise<T> {
      const result = await run([...args, '--json'], options)
      if (result.code !== 0) throw new Error(`tend ${args.join(' ')} exited ${result.code}: ${result.stderr}`)
      const parsed = JSON.parse(result.stdout) as T
      if (Array.isArray(parsed)) for (const info of parsed as ProcessInfo[]) if (info && typeof info.pid === 'number') pids.add(info.pid)
      return parsed
    },
    spawn(args, options = {}) {
      const child = spawn(process.execPath, cliArgs(args), { cwd: options.cwd ?? home, env: env(), stdio: ['ignore', 'pipe', 'pipe'] })
      onCleanup(async () => {
        if (child.exitCode === null && child.signalCode === null) {
          child.kill('SIGKILL')
          await new Promise((resolve) => child.once('exit', resolve))
        }
      })
      return child
    },
    track(...more) {
      for (const pid of more) if (typeof pid === 'number') pids.add(pid)
    },
    daemonPid,
  }
  onCleanup(async () => {
    // tend kill stops every app gracefully, then the daemon; SIGKILL only if that failed.
    const pid = daemonPid()
    if (pid) pids.add(pid)
    if (pid && isAlive(pid)) {
      const killed = await run(['kill'])
      if (killed.code !== 0 && isAlive(pid)) process.kill(pid, 'SIGKILL')
    }
    await until(() => [...pids].every((p) => !isAlive(p)), { timeout: 20_000, message: `no process left of ${[...pids].join(', ')}` })
    rmSync(home, { recursive: true, force: true })
  })
  return tracked
}
