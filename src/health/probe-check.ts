/**
 * One check of one probe: an HTTP GET, a TCP connect, a command, or whether a
 * line of output matched. Resolves when it passes, rejects with why it failed;
 * `signal` ends it (the check's timeout or the child's exit).
 */
import { execFile } from 'node:child_process'
import { request, type Agent } from 'node:http'
import { connect } from 'node:net'
import type { NormalizedProbeCheck } from '../types.js'

/** Where a check goes: the child's port (its PORT unless the probe names one), cwd and env for `exec`. */
export interface ProbeTarget {
  readonly port: number | null
  readonly cwd: string
  readonly env: Readonly<Record<string, string>>
  /** True once a line of the child's output matched a logLine pattern. */
  readonly sawLine: (pattern: RegExp) => boolean
  /** Keeps HTTP probes' connections open between checks (one per child); none: a connection per check. */
  readonly agent?: Agent
}

export function runCheck(check: NormalizedProbeCheck, target: ProbeTarget, signal: AbortSignal): Promise<void> {
  switch (check.kind) {
    case 'http':
      return httpCheck(check.host, portOf(check.port, target), check.path, check.expectStatus, signal, target.agent)
    case 'tcp':
      return tcpCheck(check.host, portOf(check.port, target), signal)
    case 'exec':
      return execCheck(check.command, check.args, target, signal)
    case 'logLine':
      return target.sawLine(check.pattern) ? Promise.resolve() : Promise.reject(new Error(`no line matched ${String(check.pattern)} yet`))
  }
}

function portOf(port: number | null, target: ProbeTarget): number {
  const resolved = port ?? target.port
  if (resolved === null) throw new Error('no port to probe')
  return resolved
}

const PROBE_HEADERS = Object.freeze({ 'user-agent': 'tend-probe' })

function httpCheck(
  host: string,
  port: number,
  path: string,
  expect: readonly number[] | null,
  signal: AbortSignal,
  agent: Agent | undefined,
  retried = false,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = request({ host, port, path, method: 'GET', signal, agent: agent ?? false, headers: PROBE_HEADERS }, (res) => {
      res.resume()
      const status = res.statusCode ?? 0
      const ok = expect ? expect.includes(status) : status >= 200 && status < 400
      if (ok) resolve()
      else reject(new Error(`GET ${path} answered ${status}`))
    })
    req.on('error', (error: NodeJS.ErrnoException) => {
      if (signal.aborted) return reject(new Error(`GET ${path} timed out`))
      // a kept-alive connection the app closed just as the check reused it: once more on a new one
      if (req.reusedSocket && !retried && error.code === 'ECONNRESET')
        return void httpCheck(host, port, path, expect, signal, undefined, true).then(resolve, reject)
      reject(error)
    })
    req.end()
  })
}

function tcpCheck(host: string, port: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port })
    const onAbort = (): void => {
      socket.destroy()
      reject(new Error(`connect to ${host}:${port} timed out`))
    }
    signal.addEventListener('abort', onAbort, { once: true })
    socket.once('connect', () => {
      signal.removeEventListener('abort', onAbort)
      socket.destroy()
      resolve()
    })
    socket.once('error', (error) => {
      signal.removeEventListener('abort', onAbort)
      reject(error)
    })
  })
}

function execCheck(command: string, args: readonly string[], target: ProbeTarget, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(command, [...args], { cwd: target.cwd, env: { ...target.env }, signal, killSignal: 'SIGKILL', windowsHide: true }, (error) => {
      if (!error) return resolve()
      reject(signal.aborted ? new Error(`${command} timed out`) : new Error(`${command} failed: ${error.message.split('\n')[0]}`))
    })
  })
}
