/**
 * The load generator (bench/fixtures/load.mjs) driven from a scenario: a
 * timed run, a run until stopped, and the probes and figures around them,
 * shared by the cluster, reload, crash and sockets scenarios.
 */
import { spawn } from 'node:child_process'
import http from 'node:http'
import { fileURLToPath } from 'node:url'

const loadScript = fileURLToPath(new URL('./fixtures/load.mjs', import.meta.url))

export interface LoadResult {
  ok: number
  failed: number
  errors: Record<string, number>
  samples: [number, number][]
}

/**
 * Runs the load generator in its own process. `onStart` is called when its
 * clock starts (the samples' time 0), which is node's boot after the spawn.
 */
export function load(port: number, ms: number, concurrency: number, mode: 'keepalive' | 'new', onStart?: () => void): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const args = [loadScript, String(port), String(ms), String(concurrency), mode, ...(onStart ? ['mark'] : [])]
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] })
    let out = ''
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      const marked = onStart && !out.includes('\n')
      out += chunk
      if (marked && out.includes('\n')) onStart()
    })
    child.once('error', reject)
    child.once('exit', (code) =>
      code === 0
        ? resolve(JSON.parse(onStart ? out.slice(out.indexOf('\n') + 1) : out) as LoadResult)
        : reject(new Error(`load exited with ${code}`)),
    )
  })
}

/** One GET on a connection of its own (`Connection: close`): true when it answered 200. */
function getOnce(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const req = http.get({ host: '127.0.0.1', port, path: '/', agent: false, timeout: 2000 }, (res) => {
      res.resume()
      res.on('end', () => resolve(res.statusCode === 200))
      res.on('error', () => resolve(false))
    })
    req.on('timeout', () => req.destroy())
    req.on('error', () => resolve(false))
  })
}

/**
 * Polls until the port answers 200. Each probe closes its connection: an idle
 * keep-alive probe (fetch keeps one) would hold a worker until its killTimeout
 * when the supervisor later drains it, and time the probe, not the supervisor.
 */
export async function answers(port: number, timeout = 20_000): Promise<void> {
  const deadline = Date.now() + timeout
  while (!(await getOnce(port))) {
    if (Date.now() > deadline) throw new Error(`127.0.0.1:${port} did not answer within ${timeout} ms`)
    await new Promise((resolve) => setTimeout(resolve, 5))
  }
}

/** The load generator in its own process until stop() (bounded by `maxMs` all the same). */
export function backgroundLoad(
  port: number,
  concurrency: number,
  mode: 'keepalive' | 'new',
  maxMs = 300_000,
): { stop: () => Promise<LoadResult> } {
  const child = spawn(process.execPath, [loadScript, String(port), String(maxMs), String(concurrency), mode], {
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  let out = ''
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk))
  const done = new Promise<LoadResult>((resolve, reject) => {
    child.once('error', reject)
    child.once('exit', (code) => (code === 0 ? resolve(JSON.parse(out) as LoadResult) : reject(new Error(`load exited with ${code}`))))
  })
  return {
    stop: () => {
      child.kill('SIGTERM')
      return done
    },
  }
}

export function p99(latencies: number[]): number {
  if (latencies.length === 0) return 0
  const sorted = [...latencies].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.99))]!
}
