/** A bounded HTTP load for tests and benchmarks: keep-alive and new-connection requests on loopback. */
import http from 'node:http'
export { freePort } from '../bench/lib.js'

export function get(port: number, agent: http.Agent | false = false, timeout = 10_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path: '/', agent, timeout }, (res) => {
      let body = ''
      res.setEncoding('utf8')
      res.on('data', (chunk: string) => (body += chunk))
      res.on('end', () => (res.statusCode === 200 ? resolve(body) : reject(new Error(`status ${res.statusCode}`))))
      res.on('error', reject)
    })
    req.on('timeout', () => req.destroy(new Error('request timed out')))
    req.on('error', reject)
  })
}

/** A GET of `path` on a connection of its own (no agent keeps it open): the body, whatever the status. */
export function getPath(port: number, path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path, agent: false }, (res) => {
      let body = ''
      res.setEncoding('utf8')
      res.on('data', (chunk: string) => (body += chunk))
      res.on('end', () => resolve(body))
    })
    req.on('error', reject)
  })
}

/** Retries until the port answers (for startup), within `timeout`. */
export async function waitForHttp(port: number, timeout = 20_000): Promise<string> {
  const deadline = Date.now() + timeout
  for (;;) {
    try {
      return await get(port)
    } catch (error) {
      if (Date.now() > deadline) throw error
      await new Promise((resolve) => setTimeout(resolve, 25))
    }
  }
}

export interface LoadResult {
  readonly ok: number
  readonly failed: number
  readonly errors: string[]
  readonly latencies: number[]
  readonly bodies: Set<string>
}

/**
 * Runs `concurrency` keep-alive loops and as many new-connection loops
 * against the port until `stop()` is called (or `maxRequests` is reached).
 */
export function startLoad(
  port: number,
  { concurrency = 2, maxRequests = 200_000 } = {},
): { completed: () => number; stop: () => Promise<LoadResult> } {
  const keepAlive = new http.Agent({ keepAlive: true, maxSockets: concurrency })
  let running = true
  let total = 0
  const result = { ok: 0, failed: 0, errors: [] as string[], latencies: [] as number[], bodies: new Set<string>() }
  const loop = async (agent: http.Agent | false): Promise<void> => {
    while (running && total < maxRequests) {
      total++
      const started = performance.now()
      try {
        result.bodies.add(await get(port, agent))
        result.ok++
        result.latencies.push(performance.now() - started)
      } catch (error) {
        result.failed++
        if (result.errors.length < 20) result.errors.push((error as Error).message)
      }
    }
  }
  const loops = [...Array.from({ length: concurrency }, () => loop(keepAlive)), ...Array.from({ length: concurrency }, () => loop(false))]
  return {
    completed: () => result.ok + result.failed,
    stop: async () => {
      running = false
      await Promise.all(loops)
      keepAlive.destroy()
      return result
    },
  }
}
