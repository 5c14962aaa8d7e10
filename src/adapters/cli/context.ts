/** What every CLI verb needs: where the daemon lives, a client to it, output helpers. */
import { realpathSync } from 'node:fs'
import { dirname, extname, join } from 'node:path'
import { RpcError, TendError } from '../../errors.js'
import type { Target } from '../../types.js'
import { connectDaemon, connectOrLaunch } from '../daemon/launch.js'
import { tendHome } from '../daemon/paths.js'
import type { SupervisorClient } from '../rpc/client.js'
import { RPC_METHOD_NOT_FOUND } from '../rpc/protocol.js'

/** A failure to report as one line and a non-zero exit. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message)
    this.name = 'CliError'
  }
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

/** The one line a failure is reported with. */
export function describeError(error: unknown): string {
  if (error instanceof CliError) return error.message
  if (error instanceof TendError) return `${error.message} (${error.code})`
  if (error instanceof Error) return error.message
  return String(error)
}

/** A method the daemon does not have yet (an older tend, or a feature still to come). */
export function isMissingMethod(error: unknown): boolean {
  return error instanceof RpcError && error.rpcCode === RPC_METHOD_NOT_FOUND
}
