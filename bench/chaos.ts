/**
 * Chaos under load: a cluster app under HTTP load while its workers are
 * randomly SIGKILLed and SIGSTOP/SIGCONTed, and restart/reload/scale run
 * through the API at the same time. At the end every instance must be
 * online, list() must match the real processes, and no operation may hang.
 * `npm run chaos [-- --seconds 60 --seed 7 --json]`; the test suite runs a short form.
 */
import http from 'node:http'
import { fileURLToPath } from 'node:url'
import { Supervisor } from '../src/index.js'
import { freePort, mulberry32 } from './lib.js'

export interface ChaosResult {
  readonly seed: number
  readonly seconds: number
  readonly requests: number
  readonly failed: number
  readonly failureLimit: number
  readonly kills: number
  readonly stops: number
  readonly operations: Record<string, number>
  readonly operationErrors: string[]
  readonly hung: string[]
  readonly problems: string[]
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

export async function chaos({ seconds = 60, seed = 1, concurrency = 4 } = {}): Promise<ChaosResult> {
  const random = mulberry32(seed)
  const port = await freePort()
  const app = fileURLToPath(new URL('./fixtures/hello-http.cjs', import.meta.url))
  const sup = new Supervisor({ metricsInterval: 0 })
  const operations: Record<string, number> = {}
  const operationErrors: string[] = []
  const hung: string[] = []
  const problems: string[] = []
  let kills = 0
  let stops = 0
  let requests = 0
  let failed = 0
  const stopped = new Set<number>()
  try {
    await sup.start({ name: 'chaos', script: app, mode: 'cluster', instances: 3, env: { PORT: port }, killTimeout: 1000, restartDelay: 50 })
    const deadline = Date.now() + seconds * 1000
    const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency })
    const load = async (keepAlive: boolean): Promise<void> => {
      while (Date.now() < deadline) {
        requests++
        const ok = await new Promise<boolean>((resolve) => {
          const req = http.get({ host: '127.0.0.1', port, agent: keepAlive ? agent : false, timeout: 15_000 }, (res) => {
            res.resume()
            res.on('end', () => resolve(res.statusCode === 200))
            res.on('error', () => resolve(false))
          })
          req.on('timeout', () => req.destroy())
          req.on('error', () => resolve(false))
        })
        if (!ok) failed++
      }
    }
    const loads = [...Array.from({ length: concurrency }, () => load(true)), ...Array.from({ length: concurrency }, () => load(false))]

    const pending = new Set<Promise<void>>()
    const operation = (name: string, fn: (signal: AbortSignal) => Promise<unknown>): void => {
      operations[name] = (operations[name] ?? 0) + 1
      const signal = AbortSignal.timeout(60_000)
      const p = fn(signal)
        .then(() => undefined)
        .catch((error: Error) => {
          if (signal.aborted) hung.push(name)
          // A reload or restart racing a SIGKILL may fail; that is reported, not hidden.
          else if (operationErrors.length < 50) operationErrors.push(`${name}: ${(error as { code?: string }).code ?? error.message}`)
        })
        .finally(() => pending.delete(p))
      pending.add(p)
    }

    while (Date.now() < deadline) {
      await sleep(50 + random() * 250)
      const pids = sup.list().flatMap((info) => (info.pid === null ? [] : [info.pid]))
      const pid = pids[Math.floor(random() * pids.length)]
      const roll = random()
      if (roll < 0.3 && pid !== undefined) {
        kills++
        process.kill(pid, 'SIGKILL')
      } else if (roll < 0.5 && pid !== undefined && !stopped.has(pid)) {
        stops++
        stopped.add(pid)
        process.kill(pid, 'SIGSTOP')
        setTimeout(
          () => {
            stopped.delete(pid)
            if (isAlive(pid)) process.kill(pid, 'SIGCONT')
          },
          100 + random() * 400,
        )
      } else if (roll < 0.65) operation('restart', (signal) => sup.restart('chaos', { signal }))
      else if (roll < 0.8) operation('reload', (signal) => sup.reload('chaos', { signal }))
      else operation('scale', (signal) => sup.scale('chaos', 2 + Math.floor(random() * 3), { signal }))
    }
    await Promise.all(loads)
    agent.destroy()
    await sleep(600) // every SIGSTOPped worker gets its SIGCONT
    const settled = await Promise.race([Promise.all([...pending]).then(() => true), sleep(90_000).then(() => false)])
    if (!settled) hung.push(...[...pending].map(() => 'an operation that never settled'))

    // Settle: whatever the chaos left, a final restart brings every instance online.
    await sup
      .restart('chaos', { signal: AbortSignal.timeout(60_000) })
      .catch((error: Error) => problems.push(`final restart: ${error.message}`))
    const list = sup.list()
    const instances = list.length > 0 ? sup.describe('chaos')[0]!.spec.instances : 0
    if (list.length !== instances) problems.push(`list() has ${list.length} processes, spec says ${instances}`)
    for (const info of list) {
      if (info.status !== 'online') problems.push(`process ${info.id} is ${info.status}`)
      if (info.pid === null || !isAlive(info.pid)) problems.push(`process ${info.id} has no live pid (${info.pid})`)
    }
    if (new Set(list.map((info) => info.instance)).size !== list.length) problems.push('duplicate instance indexes')
  } finally {
    await sup.close()
  }
  // Requests in flight on a killed (or stopped-then-killed) worker may fail: at most one per connection per kill.
  const failureLimit = (kills + stops + (operations.restart ?? 0) + (operations.reload ?? 0)) * concurrency * 2
  if (failed > failureLimit) problems.push(`${failed} failed requests, more than ${failureLimit} could be in flight on killed workers`)
  if (hung.length > 0) problems.push(`operations hung: ${hung.join(', ')}`)
  return { seed, seconds, requests, failed, failureLimit, kills, stops, operations, operationErrors, hung, problems }
}

const isMain = process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]
if (isMain) {
  const arg = (name: string, fallback: number): number => {
    const i = process.argv.indexOf(`--${name}`)
    return i === -1 ? fallback : Number(process.argv[i + 1])
  }
  const result = await chaos({ seconds: arg('seconds', 60), seed: arg('seed', Date.now() % 100_000) })
  if (process.argv.includes('--json')) console.log(JSON.stringify(result))
  else console.log(result)
  if (result.problems.length > 0) process.exitCode = 1
}
