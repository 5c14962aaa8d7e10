/**
 * The cost curve (issue 18): one app of N `/bin/sleep` processes (fork mode,
 * no interpreter) driven through each daemon's own client: tend's daemon
 * (dist/daemon-main.js) over tendjs/rpc, PM2's over its programmatic API. For
 * N = 10, 100, 1,000 (and 5,000 for tend alone):
 *   start → all online, list() round trip p50 and p99, `tend ls` / `pm2 ls`
 *   wall time, delete → none listed, the daemon's RSS and RssAnon with N
 *   idle processes, and the daemon's CPU while idle with metrics on.
 * Then, in a daemon (the same Supervisor + RPC server, bundled as dist is,
 * in a process run with --expose-gc): the heap and RssAnon it holds per idle
 * process with 1,000 of them, and its RSS fresh, after 10,000 restarts of
 * warm-up and after 10,000 more, each after a GC.
 *
 *   node --import tsx bench/cost-curve.ts [--quick] [--compare pm2]
 *
 * `npm run bench` runs it too (runCostCurve). Under --quick only N = 10,
 * 100 idle processes for the memory per process and 200 restarts, so CI's
 * bench:smoke stays quick.
 */
import { execFile, execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import type { Contender } from './contender.js'
import { bundled, cpuMsOf, figure, MiB, ratio, round, rssOf, sleep, stats, type Figure } from './lib.js'
import { createPm2Contender } from './pm2/pm2-contender.js'
import { anonOf, percentile, startDaemon } from './rpc.js'
import type { ScenarioOptions } from './contender.js'

const root = fileURLToPath(new URL('..', import.meta.url))
const tendCli = `${root}dist/cli.js`
const pm2Cli = `${root}node_modules/pm2/bin/pm2`
const restartHost = fileURLToPath(new URL('./fixtures/restart-host.ts', import.meta.url))
const memoryHost = fileURLToPath(new URL('./fixtures/memory-host.ts', import.meta.url))

/** What one side measured at one N. */
interface Point {
  startMs: number
  listP50: number
  listP99: number
  lsMs: number
  deleteMs: number
  rssMiB: number
  anonMiB: number
  idleCpuPercent: number
}

/** One side of the curve: how to reach its daemon, list and run its CLI. */
interface Side {
  readonly label: string
  readonly daemonPid: number
  start(n: number): Promise<void>
  /** How many processes are listed, and how many of them online. */
  count(): Promise<{ listed: number; online: number }>
  remove(): Promise<void>
  /** Runs `ls` of its CLI once; resolves with the ms it took (and checks it printed every process). */
  ls(n: number): Promise<number>
  close(): Promise<void>
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ ms: number; stdout: string }> {
  const started = performance.now()
  return new Promise((resolve, reject) => {
    execFile(command, args, { env, maxBuffer: 256 * MiB, timeout: 300_000, encoding: 'utf8' }, (error, stdout) => {
      if (error) reject(new Error(`${command} ${args.join(' ')} failed: ${error.message}`, { cause: error }))
      else resolve({ ms: performance.now() - started, stdout })
    })
  })
}

/**
 * A process holds about four descriptors in the daemon (its two pipes, its two log files): 5,000 would need
 * ~20,000, this machine's hard `ulimit -n`. From this size on the app merges its logs (one out and one err
 * file for the app, `mergeLogs`), which is what a fleet that large would do; the figures say so.
 */
const MERGED_LOGS_FROM = 5000

async function tendSide(): Promise<Side> {
  const home = mkdtempSync('/tmp/tend-bench-')
  const daemon = await startDaemon(home, 900_000) // 5,000 spawns on a loaded machine take minutes
  const env = { ...process.env, TEND_HOME: home }
  return {
    label: 'tend',
    daemonPid: daemon.pid,
    async start(n) {
      await daemon.client.start({
        name: 'curve',
        script: '/bin/sleep',
        args: ['3600'],
        interpreter: 'none',
        instances: n,
        ...(n >= MERGED_LOGS_FROM ? { mergeLogs: true } : {}),
      })
    },
    async count() {
      const listed = await daemon.client.list()
      return { listed: listed.length, online: listed.filter((info) => info.status === 'online').length }
    },
    async remove() {
      await daemon.client.delete('curve')
    },
    async ls(n) {
      const { ms, stdout } = await run(process.execPath, [tendCli, 'ls'], env)
      const rows = stdout.split('\n').filter((line) => line.includes('curve')).length
      if (rows !== n) throw new Error(`tend ls printed ${rows} rows, not ${n}`)
      return ms
    },
    async close() {
      await daemon.stop()
      rmSync(home, { recursive: true, force: true })
    },
  }
}

async function pm2Side(): Promise<Side> {
  const pm2 = await createPm2Contender()
  const { PM2_HOME: _home, ...rest } = process.env
  const env = { ...rest, PM2_HOME: pm2.home }
  return {
    label: 'PM2',
    daemonPid: pm2.hostPid(),
    async start(n) {
      await pm2.start({ name: 'curve', script: '/bin/sleep', binary: true, args: ['3600'], instances: n })
    },
    async count() {
      const listed = await pm2.list()
      return { listed: listed.length, online: listed.filter((info) => info.online).length }
    },
    remove: () => pm2.delete('curve'),
    async ls(n) {
      const { ms, stdout } = await run(process.execPath, [pm2Cli, 'ls'], env)
      const rows = stdout.split('\n').filter((line) => line.includes('curve')).length
      if (rows !== n) throw new Error(`pm2 ls printed ${rows} rows, not ${n}`)
      return ms
    },
    close: () => (pm2 as Contender).close(),
  }
}

async function untilCount(side: Side, wanted: (count: { listed: number; online: number }) => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 600_000
  while (!wanted(await side.count())) {
    if (Date.now() > deadline) throw new Error(`${side.label}: timed out waiting for ${what}`)
    await sleep(50)
  }
}

async function measurePoint(side: Side, n: number, quick: boolean): Promise<Point> {
  let t = performance.now()
  await side.start(n)
  await untilCount(side, (count) => count.online === n, `${n} online`)
  const startMs = performance.now() - t
  // a few metrics samples and the start-up's garbage behind it
  await sleep(quick ? 1000 : 3000)
  const calls = n >= 1000 ? 20 : 50
  for (let i = 0; i < 3; i++) await side.count()
  const lists: number[] = []
  for (let i = 0; i < calls; i++) {
    t = performance.now()
    await side.count()
    lists.push(performance.now() - t)
  }
  const ls: number[] = []
  for (let i = 0; i < (quick ? 1 : 3); i++) ls.push(await side.ls(n))
  const rssMiB = rssOf(side.daemonPid) / MiB
  const anonMiB = anonOf(side.daemonPid) / MiB
  // idle CPU of the daemon with metrics on (tend samples every 1 s by default, or less often for large fleets; PM2 always)
  const idleMs = quick ? 2000 : 10_000
  const cpu0 = cpuMsOf(side.daemonPid)
  const wall0 = performance.now()
  await sleep(idleMs)
  const idleCpuPercent = ((cpuMsOf(side.daemonPid) - cpu0) / (performance.now() - wall0)) * 100
  t = performance.now()
  await side.remove()
  await untilCount(side, (count) => count.listed === 0, 'none listed')
  const deleteMs = performance.now() - t
  return {
    startMs,
    listP50: stats(lists).median,
    listP99: percentile(lists, 99),
    lsMs: stats(ls).median,
    deleteMs,
    rssMiB,
    anonMiB,
    idleCpuPercent,
  }
}

const METRICS: [keyof Point, string, string][] = [
  ['startMs', 'start → all online', 'ms'],
  ['listP50', 'list() round trip p50', 'ms'],
  ['listP99', 'list() round trip p99', 'ms'],
  ['lsMs', '`ls` of the CLI, wall time', 'ms'],
  ['deleteMs', 'delete → none listed', 'ms'],
  ['rssMiB', 'daemon RSS', 'MiB'],
  ['anonMiB', 'daemon RssAnon (private memory)', 'MiB'],
  ['idleCpuPercent', 'daemon CPU while idle, metrics on', '% of a core'],
]

/** The RSS of a daemon before and after `restarts` restarts, each after a forced GC (bench/fixtures/restart-host.ts). */
interface RestartMemory {
  readonly warmup: number
  readonly freshMiB: number
  readonly beforeMiB: number
  readonly afterMiB: number
  /** After the first fifth of the restarts measured: the rest should leave it level. */
  readonly firstRoundMiB: number
  readonly heapBeforeMiB: number
  readonly heapAfterMiB: number
  readonly seconds: number
}

/** Runs a bench host bundled as dist is built (bench/lib.ts bundled()) with --expose-gc; its last line is JSON. */
async function host<T>(entry: string, args: string[]): Promise<T> {
  const out = execFileSync(process.execPath, ['--expose-gc', await bundled(entry), ...args], {
    cwd: root,
    encoding: 'utf8',
    timeout: 900_000,
  })
  return JSON.parse(out.trim().split('\n').at(-1)!) as T
}

/** What the daemon holds per idle process, after forced GCs (bench/fixtures/memory-host.ts). */
interface PerProcess {
  readonly processes: number
  readonly heapPerProcessKiB: number
  readonly anonPerProcessKiB: number
  readonly historyHourPerProcessKiB: number
}

export async function runCostCurve({ quick, contenders }: ScenarioOptions): Promise<Figure[]> {
  execFileSync('npm', ['run', 'build', '--silent'], { cwd: root, stdio: 'ignore' })
  const withPm2 = contenders.length > 1
  const sizes = quick ? [10] : [10, 100, 1000, 5000]
  const figures: Figure[] = []
  for (const n of sizes) {
    const points = new Map<string, Point>()
    const makers: [string, () => Promise<Side>][] = [['tend', tendSide]]
    // PM2 up to 1,000 (at 5,000 it would take many minutes per step)
    if (withPm2 && n <= 1000) makers.push(['PM2', pm2Side])
    for (const [label, make] of makers) {
      const side = await make()
      try {
        points.set(label, await measurePoint(side, n, quick))
      } finally {
        await side.close()
      }
    }
    const ours = points.get('tend')!
    const theirs = points.get('PM2')
    for (const [key, metric, unit] of METRICS) {
      const value = round(ours[key], key === 'idleCpuPercent' ? 3 : 2)
      const logs = n >= MERGED_LOGS_FROM ? ' (logs merged per app)' : ''
      const fig = figure('cost-curve', `N=${n}${logs}: ${metric}`, unit, [value])
      if (!theirs) figures.push(fig)
      else {
        const other = round(theirs[key], key === 'idleCpuPercent' ? 3 : 2)
        figures.push({ ...fig, versus: { label: 'PM2', median: other, min: other, max: other, ratio: ratio(value, other) } })
      }
    }
  }
  const held = await host<PerProcess>(memoryHost, quick ? ['100', '--idle=5000'] : ['1000'])
  figures.push(
    figure('cost-curve', `daemon heap used per idle process, ${held.processes} processes (after a GC)`, 'KiB', [held.heapPerProcessKiB]),
    figure(
      'cost-curve',
      `daemon RssAnon per idle process, ${held.processes} processes (idle ${quick ? 5 : 30} s, after a GC)`,
      'KiB',
      [held.anonPerProcessKiB],
      {
        target: '≤ 30 KiB',
      },
    ),
    figure('cost-curve', `metrics history of an hour at one sample a second, per process (${held.processes} processes)`, 'KiB', [
      held.historyHourPerProcessKiB,
    ]),
  )
  const restarts = quick ? 200 : 10_000
  const memory = await host<RestartMemory>(restartHost, [String(restarts), String(quick ? 200 : restarts)])
  figures.push(
    figure('cost-curve', `daemon RSS fresh (200 restarts, after a GC)`, 'MiB', [memory.freshMiB]),
    figure('cost-curve', `daemon RSS after ${memory.warmup} restarts of warm-up (after a GC)`, 'MiB', [memory.beforeMiB]),
    figure(
      'cost-curve',
      `daemon RSS after ${restarts} restarts more (after a GC), ${memory.seconds} s of restarts`,
      'MiB',
      [memory.afterMiB],
      {
        target: 'within 2 MiB of the warmed-up RSS',
      },
    ),
    figure('cost-curve', `daemon RSS after the first fifth of those (after a GC)`, 'MiB', [memory.firstRoundMiB], {
      target: 'level from here: a leak grows round after round',
    }),
    figure('cost-curve', `daemon heap used before ${restarts} restarts (after a GC)`, 'MiB', [memory.heapBeforeMiB]),
    figure('cost-curve', `daemon heap used after ${restarts} restarts (after a GC)`, 'MiB', [memory.heapAfterMiB]),
  )
  return figures
}

const invokedDirectly = process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]
if (invokedDirectly) {
  const compare = process.argv.includes('--compare')
  const figures = await runCostCurve({
    quick: process.argv.includes('--quick'),
    contenders: compare ? [() => Promise.reject(new Error('unused')), createPm2Contender] : [],
  })
  for (const f of figures)
    console.log(`| ${f.metric} | ${f.median} ${f.unit} | ${f.versus ? `${f.versus.median} | ${f.versus.ratio}` : '|'} |`)
}
