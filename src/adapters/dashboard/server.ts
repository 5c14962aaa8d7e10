/**
 * The web dashboard: a small node:http server that serves one page (its
 * files ship in assets/dashboard/, uPlot comes from its npm package), a
 * JSON API over a DashboardSource and a Server-Sent Events stream that
 * resumes after a reconnect (`Last-Event-ID`).
 *
 * Every request must carry the token (`?token=`, `Authorization: Bearer`,
 * or `X-Tend-Token`); anything else is a 401. It listens on loopback unless
 * told otherwise.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import { createRequire } from 'node:module'
import type { AddressInfo } from 'node:net'
import { debuglog } from 'node:util'
import { InvalidArgumentError, TendError } from '../../errors.js'
import { parseHistoryQuery } from '../../metrics/history.js'
import { assetPath } from '../../runners/assets.js'
import type { LogEvent, ProcessInfo, Target } from '../../types.js'
import { VERSION } from '../../version.js'
import { EventLog, formatEvent } from './event-log.js'
import { parseAction, type DashboardSource } from './source.js'

const debug = debuglog('tend:dashboard')

export const DEFAULT_DASHBOARD_PORT = 9616

export interface DashboardOptions {
  readonly source: DashboardSource
  /** 0 picks a free port. @default 9616 */
  readonly port?: number
  /** @default '127.0.0.1' */
  readonly host?: string
  /** The secret every request must carry. @default 24 random bytes, base64url */
  readonly token?: string
  /** A name shown in the page title (the daemon's home, the runtime's ecosystem file). */
  readonly label?: string
}

export interface DashboardServer extends AsyncDisposable {
  /** The address to open, token included. */
  readonly url: string
  readonly host: string
  readonly port: number
  readonly token: string
  /** Whether it listens on a loopback address only. */
  readonly loopback: boolean
  /** Browsers connected to the event stream now. */
  readonly streams: number
  close(): Promise<void>
}

/** What the page shows of a process (the spec stays out: it is big and may hold paths users do not want in a browser). */
export interface ProcessRow {
  readonly id: number
  readonly name: string
  readonly namespace: string
  readonly instance: number
  readonly mode: string
  readonly pid: number | null
  readonly status: string
  readonly restarts: number
  readonly startedAt: number | null
  readonly cpu: number
  readonly memory: number
  readonly health: unknown
}

export function processRow(info: ProcessInfo): ProcessRow {
  return {
    id: info.id,
    name: info.name,
    namespace: info.namespace,
    instance: info.instance,
    mode: info.mode,
    pid: info.pid,
    status: info.status,
    restarts: info.restarts,
    startedAt: info.startedAt,
    cpu: info.cpu,
    memory: info.memory,
    // ProcessInfo.health comes with probes (another part of tend); shown when there.
    health: (info as { health?: unknown }).health ?? null,
  }
}

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host)
}

const MAX_BODY_BYTES = 16 * 1024
/** A browser whose stream buffer passes this is cut off; it reconnects and resumes. */
const MAX_STREAM_BUFFER = 2 * 1024 * 1024
const HEARTBEAT_MS = 15_000

interface Asset {
  readonly type: string
  readonly body: Buffer
}

function loadAssets(): Map<string, Asset> {
  const require = createRequire(import.meta.url)
  const files: [string, string, string][] = [
    ['/assets/dashboard.js', assetPath('dashboard/dashboard.js'), 'text/javascript; charset=utf-8'],
    ['/assets/dashboard.css', assetPath('dashboard/dashboard.css'), 'text/css; charset=utf-8'],
    ['/assets/uPlot.iife.min.js', require.resolve('uplot/dist/uPlot.iife.min.js'), 'text/javascript; charset=utf-8'],
    ['/assets/uPlot.min.css', require.resolve('uplot/dist/uPlot.min.css'), 'text/css; charset=utf-8'],
  ]
  return new Map(files.map(([path, file, type]) => [path, { type, body: readFileSync(file) }]))
}

function statusOf(error: unknown): number {
  if (!(error instanceof TendError)) return 500
  if (error.code === 'TEND_ERR_NOT_FOUND') return 404
  if (error.code === 'TEND_ERR_INVALID_ARGUMENT') return 400
  if (error.code === 'TEND_ERR_CLOSED' || error.code === 'TEND_ERR_RPC') return 503
  return 409
}

function readBody(request: IncomingMessage): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    request.on('data', (chunk: Buffer) => {
      size += chunk.length
      if (size > MAX_BODY_BYTES) {
        reject(new InvalidArgumentError('body', `A request body is at most ${MAX_BODY_BYTES} bytes`))
        request.destroy()
        return
      }
      chunks.push(chunk)
    })
    request.on('end', () => {
      try {
        resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')))
      } catch {
        reject(new InvalidArgumentError('body', 'The request body is not JSON'))
      }
    })
    request.on('error', reject)
  })
}

/** `3` → id 3, `api` → an app name or namespace. */
function parseTarget(text: string | null): Target {
  if (text === null || text === '' || text === 'all') return 'all'
  return /^\d+$/.test(text) ? Number(text) : text
}

export async function serveDashboard(options: DashboardOptions): Promise<DashboardServer> {
  const { source } = options
  const host = options.host ?? '127.0.0.1'
  const token = options.token ?? randomBytes(24).toString('base64url')
  const tokenBytes = Buffer.from(token)
  const assets = loadAssets()
  const page = readFileSync(assetPath('dashboard/index.html'), 'utf8')
    .replaceAll('{{TOKEN}}', encodeURIComponent(token))
    .replaceAll('{{LABEL}}', (options.label ?? 'tend').replace(/[<>&"]/g, ''))
    .replaceAll('{{VERSION}}', VERSION)
  const log = new EventLog()
  const streams = new Set<ServerResponse>()

  const publish = (type: string, payload: unknown): void => {
    const text = formatEvent(log.append(type, payload))
    for (const stream of streams) {
      stream.write(text)
      if (stream.writableLength > MAX_STREAM_BUFFER) stream.destroy()
    }
  }
  const unsubscribe = await source.subscribe((name, payload) => {
    if (name.startsWith('process:')) {
      const { process: info, ...rest } = payload as { process: ProcessInfo } & Record<string, unknown>
      // error objects and IPC messages stay out: the row and the why are enough.
      const { error: _error, message: _message, ...fields } = rest
      publish('process', { event: name.slice('process:'.length), process: processRow(info), ...fields })
    } else if (name === 'log:out' || name === 'log:err') {
      const { process: info, line, at } = payload as LogEvent
      publish('log', { id: info.id, name: info.name, stream: name === 'log:err' ? 'err' : 'out', line, at })
    } else if (name === 'metrics') publish('metrics', payload)
  })

  const authorized = (request: IncomingMessage, url: URL): boolean => {
    const header = request.headers.authorization
    const given =
      url.searchParams.get('token') ??
      (typeof request.headers['x-tend-token'] === 'string' ? request.headers['x-tend-token'] : null) ??
      (header?.startsWith('Bearer ') ? header.slice('Bearer '.length) : null)
    if (given === null) return false
    const bytes = Buffer.from(given)
    return bytes.length === tokenBytes.length && timingSafeEqual(bytes, tokenBytes)
  }

  const send = (response: ServerResponse, status: number, type: string, body: string | Buffer): void => {
    response.writeHead(status, {
      'content-type': type,
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'content-security-policy': "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'",
    })
    response.end(body)
  }
  const json = (response: ServerResponse, status: number, data: unknown): void =>
    send(response, status, 'application/json; charset=utf-8', JSON.stringify(data))

  const openStream = (request: IncomingMessage, response: ServerResponse, url: URL): void => {
    response.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    })
    response.write('retry: 2000\n\n')
    const lastEventId = (request.headers['last-event-id'] as string | undefined) ?? url.searchParams.get('lastEventId')
    if (lastEventId) {
      const missed = log.since(lastEventId)
      if (missed === null) response.write(formatEvent({ id: log.lastId, type: 'reset', data: '{}' }))
      else for (const event of missed) response.write(formatEvent(event))
    }
    streams.add(response)
    const heartbeat = setInterval(() => response.write(': ping\n\n'), HEARTBEAT_MS)
    heartbeat.unref()
    response.on('close', () => {
      clearInterval(heartbeat)
      streams.delete(response)
    })
  }

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const url = new URL(request.url ?? '/', 'http://dashboard')
    if (!authorized(request, url)) {
      send(response, 401, 'text/plain; charset=utf-8', 'Unauthorized: open the URL with the token that `tend dashboard` printed.\n')
      return
    }
    const route = `${request.method} ${url.pathname}`
    if (route === 'GET /' || route === 'GET /index.html') return send(response, 200, 'text/html; charset=utf-8', page)
    const asset = request.method === 'GET' ? assets.get(url.pathname) : undefined
    if (asset) return send(response, 200, asset.type, asset.body)
    if (route === 'GET /api/events') return openStream(request, response, url)
    try {
      if (route === 'GET /api/state') {
        // The id first: an event that lands while list() runs is sent again, never lost.
        const lastEventId = log.lastId
        const processes = await source.list()
        return json(response, 200, { version: VERSION, label: options.label ?? null, lastEventId, processes: processes.map(processRow) })
      }
      if (route === 'GET /api/history') {
        const number = (name: string): number | undefined => (url.searchParams.has(name) ? Number(url.searchParams.get(name)) : undefined)
        const ids = url.searchParams.get('ids')
        const query = parseHistoryQuery({
          since: number('since'),
          maxPoints: number('maxPoints'),
          step: number('step'),
          ids: ids ? ids.split(',').map(Number) : undefined,
        })
        return json(response, 200, await source.history(query))
      }
      if (route === 'GET /api/logs') {
        const lines = Number(url.searchParams.get('lines') ?? 200)
        if (!Number.isInteger(lines) || lines < 0 || lines > 5000)
          throw new InvalidArgumentError('lines', 'lines is an integer from 0 to 5000')
        return json(response, 200, await source.logs(parseTarget(url.searchParams.get('target')), lines))
      }
      if (route === 'GET /api/custom-metrics') return json(response, 200, await source.customMetrics())
      if (route === 'POST /api/action') {
        const action = parseAction(await readBody(request))
        const processes = await source.act(action)
        return json(response, 200, { processes: processes.map(processRow) })
      }
      json(response, 404, { error: { code: 'NOT_FOUND', message: `No such page: ${url.pathname}` } })
    } catch (error) {
      const code = error instanceof TendError ? error.code : 'TEND_ERR_INTERNAL'
      debug('%s failed: %o', route, error)
      json(response, statusOf(error), { error: { code, message: error instanceof Error ? error.message : String(error) } })
    }
  }

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      debug('request failed: %o', error)
      if (!response.headersSent) json(response, 500, { error: { code: 'TEND_ERR_INTERNAL', message: String(error) } })
      else response.destroy()
    })
  })
  server.keepAliveTimeout = 5000
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject)
      server.listen(options.port ?? DEFAULT_DASHBOARD_PORT, host, () => {
        server.off('error', reject)
        resolve()
      })
    })
  } catch (error) {
    await unsubscribe()
    throw error
  }
  const { port } = server.address() as AddressInfo
  const urlHost = host.includes(':') ? `[${host}]` : host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host

  let closing: Promise<void> | null = null
  const close = (): Promise<void> =>
    (closing ??= (async () => {
      await unsubscribe()
      for (const stream of streams) stream.end()
      streams.clear()
      await new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      })
    })())

  return {
    url: `http://${urlHost}:${port}/?token=${encodeURIComponent(token)}`,
    host,
    port,
    token,
    loopback: isLoopback(host),
    get streams() {
      return streams.size
    },
    close,
    [Symbol.asyncDispose]: close,
  }
}
