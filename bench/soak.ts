/**
 * Soak: many restart cycles and reloads, then the host's memory and open
 * file descriptors are compared with where they started (after a GC).
 * `node --expose-gc --import tsx bench/soak.ts [--restarts N] [--reloads N] [--json]`
 */
import { readdirSync, readlinkSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { Supervisor } from '../src/index.js'
import { freePort } from './lib.js'

const arg = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(`--${name}`)
  return i === -1 ? fallback : Number(process.argv[i + 1])
}
const restarts = arg('restarts', 1000)
const reloads = arg('reloads', 100)
const json = process.argv.includes('--json')
const forkApp = fileURLToPath(new URL('./fixtures/idle-app.cjs', import.meta.url))
const httpApp = fileURLToPath(new URL('./fixtures/hello-http.cjs', import.meta.url))

async function measure(): Promise<{ rss: number; heapUsed: number; fds: number }> {
  for (let i = 0; i < 3; i++) {
    ;(globalThis as { gc?: () => void }).gc?.()
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  const { rss, heapUsed } = process.memoryUsage()
  return { rss, heapUsed, fds: ownFds() }
}

/**
 * Open descriptors, leaving out the /proc/<pid>/stat files pidusage keeps open
 * between metrics samples: how many there are depends on which pids the last
 * samples saw, and each closes a few seconds after its pid was last sampled
 * (test/metrics/sampler.test.ts checks that).
 */
function ownFds(): number {
  return readdirSync('/proc/self/fd').filter((fd) => {
    try {
      return !/^\/proc\/\d+\/stat$/.test(readlinkSync(`/proc/self/fd/${fd}`))
    } catch {
      return false // the descriptor readdir itself used
    }
  }).length
}

const warnings: string[] = []
process.on('warning', (warning) => warnings.push(`${warning.name}: ${warning.message}`))

const sup = new Supervisor({ metricsInterval: 1000 })
sup.on('process:exit', () => undefined)
sup.bus.on('process:*', () => undefined)
await sup.start({ name: 'fork', script: forkApp })
await sup.start({ name: 'web', script: httpApp, mode: 'cluster', instances: 2, env: { PORT: await freePort() } })
// warm up: the first cycles allocate what every later one reuses
for (let i = 0; i < 20; i++) await sup.restart('fork')
await sup.reload('web')
const before = await measure()
const started = performance.now()
for (let i = 0; i < restarts; i++) await sup.restart('fork')
const restartMs = performance.now() - started
const reloadStarted = performance.now()
for (let i = 0; i < reloads; i++) await sup.reload('web')
const reloadMs = performance.now() - reloadStarted
const after = await measure()
await sup.close()
const result = {
  restarts,
  reloads,
  restartMs: Math.round(restartMs),
  reloadMs: Math.round(reloadMs),
  rssGrowthMiB: Math.round(((after.rss - before.rss) / 1024 / 1024) * 100) / 100,
  heapGrowthMiB: Math.round(((after.heapUsed - before.heapUsed) / 1024 / 1024) * 100) / 100,
  fdsBefore: before.fds,
  fdsAfter: after.fds,
  warnings,
}
if (json) console.log(JSON.stringify(result))
else console.table(result)
