/** What every CLI verb needs: where the daemon lives, a client to it, output helpers. */
import { realpathSync } from 'node:fs'
import { dirname, extname, join } from 'node:path'
import { CliError, RpcError, TendError } from '../../errors.js'
import type { Target } from '../../types.js'
import { connectDaemon, connectOrLaunch } from '../daemon/launch.js'
import { tendHome } from '../daemon/paths.js'
import type { SupervisorClient } from '../rpc/client.js'
import { RPC_METHOD_NOT_FOUND } from '../rpc/protocol.js'

export { CliError }

/** A command line that is wrong (a bad argument or option value): exit status 2. */
export function usageError(message: string): CliError {
  return new CliError(message, { exitCode: 2 })
}

export function home(): string {
  return tendHome(process.env)
}

/**
 * How to run the daemon's own entry (daemon-main, beside this CLI's entry:
 * dist/daemon-main.js, or the .ts source under tsx) with the same node and flags.
 */
export function daemonCommand(extra: readonly string[] = []): { command: string; args: string[] } {
  const given = process.argv[1]
  if (!given) throw new CliError('Cannot tell where the tend CLI lives (no process.argv[1])')
  const entry = realpathSync(given)
  const daemonEntry = join(dirname(entry), `daemon-main${extname(entry) === '.ts' ? '.ts' : '.js'}`)
  return { command: process.execPath, args: [...process.execArgv, daemonEntry, ...extra] }
}

/** Mutating calls wait for processes to stop and start: give them room, but not forever. */
const CALL_TIMEOUT = 10 * 60_000

/** A client to the daemon, launching it when it is not running. */
export async function daemon(): Promise<SupervisorClient> {
  const { command, args } = daemonCommand()
  return connectOrLaunch({ home: home(), command, args, env: process.env, callTimeout: CALL_TIMEOUT })
}

/** A client to the daemon if it runs, else null (for verbs that must not start one). */
export function runningDaemon(): Promise<SupervisorClient | null> {
  return connectDaemon(home(), CALL_TIMEOUT)
}

/** Runs `fn` with a daemon client and always closes it. */
export async function withDaemon<T>(fn: (client: SupervisorClient) => Promise<T>): Promise<T> {
  const client = await daemon()
  try {
    return await fn(client)
  } finally {
    await client.close()
  }
}

/** `3` → id 3, `api` → app name (or namespace), `a,b,3` → an array, `all` → all. */
export function parseTarget(text: string): Target {
  const parts = text
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) => (/^\d+$/.test(part) ? Number(part) : part))
  if (parts.length === 0) throw new CliError(`Not a target: "${text}"`)
  return parts.length === 1 ? parts[0]! : parts
}

export function out(text: string): void {
  process.stdout.write(text.endsWith('\n') ? text : `${text}\n`)
}

export function warn(text: string): void {
  process.stderr.write(`tend: ${text}\n`)
}

/** Prints `data` as JSON, or the text form. */
export function report(json: boolean | undefined, data: unknown, text: () => string): void {
  out(json ? JSON.stringify(data) : text())
}

/** The code a failure is reported with: the TendError's own, else TEND_ERR_CLI (with the OS's errno when there is one). */
export function errorCode(error: unknown): string {
  if (error instanceof TendError) return error.code
  const errno = (error as { code?: unknown } | null)?.code
  return typeof errno === 'string' && /^E[A-Z]+$/.test(errno) ? `TEND_ERR_CLI, ${errno}` : 'TEND_ERR_CLI'
}

/** The one line a failure is reported with: the message (its lines joined) and the code. */
export function describeError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error)
  return `${message.trim().replace(/\s*\n\s*/g, ' | ')} (${errorCode(error)})`
}

/** The exit status of a failure: 2 for a wrong command line, else 1. */
export function exitCodeOf(error: unknown): number {
  return error instanceof CliError ? error.exitCode : 1
}

/** A method the daemon does not have yet (an older tend, or a feature still to come). */
export function isMissingMethod(error: unknown): boolean {
  return error instanceof RpcError && error.rpcCode === RPC_METHOD_NOT_FOUND
}
