/**
 * The runtime's health server: /healthz (the supervisor is alive), /readyz
 * (every process online) and /metrics (`supervisor.prometheus()`).
 */
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { PROMETHEUS_CONTENT_TYPE } from '../../app-metrics/prometheus.js'
import type { Supervisor } from '../../supervisor.js'

export interface HealthServer extends AsyncDisposable {
  readonly port: number
  close(): Promise<void>
}

/** Every process is online (and there is at least one). */
export function isReady(supervisor: Supervisor): boolean {
  const processes = supervisor.list()
  return processes.length > 0 && processes.every((info) => info.status === 'online' && info.health?.ready !== false)
}

export async function serveHealth(
  supervisor: Supervisor,
  options: { port: number; host?: string; alive: () => boolean },
): Promise<HealthServer> {
  const server: Server = createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0]
    const send = (status: number, body: string, type = 'text/plain; charset=utf-8'): void => {
      response.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' })
      response.end(body)
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') return send(405, 'method not allowed\n')
    if (path === '/healthz') return options.alive() ? send(200, 'ok\n') : send(503, 'closing\n')
    if (path === '/readyz') {
      if (!options.alive()) return send(503, 'closing\n')
      const processes = supervisor.list()
      const waiting = processes
        .filter((info) => info.status !== 'online' || info.health?.ready === false)
        .map((info) => `${info.name}#${info.instance}: ${info.status === 'online' ? 'not ready' : info.status}`)
      return isReady(supervisor) ? send(200, 'ready\n') : send(503, `not ready\n${waiting.join('\n') || 'no processes'}\n`)
    }
    if (path === '/metrics') {
      // tend's own figures per process and the apps' custom metrics: see docs/app-sdk.md
      supervisor.prometheus().then(
        (text) => send(200, text, PROMETHEUS_CONTENT_TYPE),
        (error: unknown) => send(500, `${String(error)}\n`),
      )
      return
    }
    send(404, 'not found: try /healthz, /readyz or /metrics\n')
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port, options.host ?? '0.0.0.0', () => {
      server.off('error', reject)
      resolve()
    })
  })
  let closing: Promise<void> | null = null
  const close = (): Promise<void> =>
    (closing ??= new Promise<void>((resolve) => {
      server.close(() => resolve())
      server.closeAllConnections()
    }))
  return { port: (server.address() as AddressInfo).port, close, [Symbol.asyncDispose]: close }
}
