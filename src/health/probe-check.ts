/**
 * One check of one probe: an HTTP GET, a TCP connect, a command, or whether a
 * line of output matched. Resolves when it passes, rejects with why it failed.
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

/**
 * One check, bounded by `timeout` ms (each kind with its own timer: a socket's
 * or the command's, no timer of its own per check). `signal` is the child's
 * run: a command is killed when it ends; a connection ends with the run's agent.
 */
export function runCheck(check: NormalizedProbeCheck, target: ProbeTarget, timeout: number, signal: AbortSignal): Promise<void> {
  switch (check.kind) {
    case 'http':
      return httpCheck(check, portOf(check.port, target), timeout, target.agent)
    case 'tcp':
      return tcpCheck(check.host, portOf(check.port, target), timeout)
    case 'exec':
      return execCheck(check.command, check.args, target, timeout, signal)
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

type HttpProbeCheck = Extract<NormalizedProbeCheck, { kind: 'http' }>

function httpCheck(check: HttpProbeCheck, port: number, timeout: number, agent: Agent | undefined, retried = false): Promise<void> {
  const { host, path, expectStatus } = check
  return new Promise((resolve, reject) => {
    let timedOut = false
    const req = request({ host, port, path, method: 'GET', agent: agent ?? false, headers: PROBE_HEADERS }, (res) => {
      res.resume()
      const status = res.statusCode ?? 0
      const ok = expectStatus ? expectStatus.includes(status) : status >= 200 && status < 400
      if (ok) resolve()
      else reject(new Error(`GET ${path} answered ${status}`))
    })
    // no answer within the timeout (the socket's own timer): the connection goes, the agent opens another next time
    req.setTimeout(timeout, () => {
      timedOut = true
      req.destroy()
    })
    req.on('error', (error: NodeJS.ErrnoException) => {
      if (timedOut) return reject(new Error(`GET ${path} timed out`))
      // a kept-alive connection the app closed just as the check reused it: once more on a new one
      if (req.reusedSocket && !retried && error.code === 'ECONNRESET')
        return void httpCheck(check, port, timeout, undefined, true).then(resolve, reject)
      reject(error)
    })
    req.end()
  })
}

function tcpCheck(host: string, port: number, timeout: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port, timeout })
    // before the connect, the check fails; after it, an app that keeps its side open is let go
    socket.once('timeout', () => {
      socket.destroy()
      reject(new Error(`connect to ${host}:${port} timed out`))
    })
    socket.once('connect', () => {
      resolve()
      // Closed the polite way: FIN, then read what the app says until it closes. A destroy() with its
      // greeting unread (Redis, MySQL, SMTP, SSH greet first) sends RST, and the app sees ECONNRESET.
      socket.resume()
      socket.end()
      socket.once('end', () => socket.destroy())
    })
    // after the connect, only the leftovers of the close can fail: the check has passed
    socket.on('error', reject)
  })
}

function execCheck(command: string, args: readonly string[], target: ProbeTarget, timeout: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(
      command,
      [...args],
      { cwd: target.cwd, env: { ...target.env }, timeout, signal, killSignal: 'SIGKILL', windowsHide: true },
      (error) => {
        if (!error) return resolve()
        const killed = (error as { killed?: boolean }).killed === true
        reject(killed ? new Error(`${command} timed out`) : new Error(`${command} failed: ${error.message.split('\n')[0]}`))
      },
    )
  })
}
