/**
 * The runtime's health server: /healthz (the supervisor is alive), /readyz
 * (every process online) and /metrics (Prometheus text, per process).
 */
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import promClient from 'prom-client'
import type { Supervisor } from '../../supervisor.js'

const { Gauge, Registry } = promClient

export interface HealthServer extends AsyncDisposable {
  readonly port: number
  close(): Promise<void>
}

const STATUSES = ['launching', 'online', 'stopping', 'stopped', 'waiting-restart', 'errored'] as const

/** A registry of its own (never prom-client's global one), filled from `list()` at each scrape. */
function metricsRegistry(supervisor: Supervisor): InstanceType<typeof Registry> {
  const registry = new Registry()
  const labelNames = ['name', 'namespace', 'id', 'instance'] as const
  const labels = (info: ReturnType<Supervisor['list']>[number]) => ({
    name: info.name,
    namespace: info.namespace,
    id: String(info.id),
    instance: String(info.instance),
  })
  new Gauge({
    name: 'tend_process_cpu_percent',
    help: 'CPU use of the process in percent of one core (last sample)',
    labelNames,
    registers: [registry],
    collect() {
      this.reset()
      for (const info of supervisor.list()) this.set(labels(info), info.cpu)
    },
  })
  new Gauge({
    name: 'tend_process_memory_bytes',
    help: 'Resident memory of the process in bytes (last sample)',
    labelNames,
    registers: [registry],
    collect() {
      this.reset()
      for (const info of supervisor.list()) this.set(labels(info), info.memory)
    },
  })
  new Gauge({
    name: 'tend_process_restarts',
    help: 'Restarts of the process since its app was started',
    labelNames,
    registers: [registry],
    collect() {
      this.reset()
      for (const info of supervisor.list()) this.set(labels(info), info.restarts)
    },
  })
  new Gauge({
    name: 'tend_process_status',
    help: 'Status of the process: 1 for its current status, 0 for the others',
    labelNames: [...labelNames, 'status'],
    registers: [registry],
    collect() {
      this.reset()
      for (const info of supervisor.list()) {
        for (const status of STATUSES) this.set({ ...labels(info), status }, info.status === status ? 1 : 0)
      }
    },
  })
  return registry
}

/** Every process is online and, where it has a readiness probe, passing it (and there is at least one). */
export function isReady(supervisor: Supervisor): boolean {
  const processes = supervisor.list()
  return processes.length > 0 && processes.every((info) => info.status === 'online' && info.health?.ready !== false)
}

export async function serveHealth(
  supervisor: Supervisor,
  options: { port: number; host?: string; alive: () => boolean },
): Promise<HealthServer> {
  const registry = metricsRegistry(supervisor)
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
      const waiting = processes.filter((info) => info.status !== 'online').map((info) => `${info.name}#${info.instance}: ${info.status}`)
      return isReady(supervisor) ? send(200, 'ready\n') : send(503, `not ready\n${waiting.join('\n') || 'no processes'}\n`)
    }
    if (path === '/metrics') {
      registry.metrics().then(
        (text) => send(200, text, registry.contentType),
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
