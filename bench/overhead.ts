/**
 * Supervisor overhead (issue 7, scenario 5): RSS and CPU of the supervising
 * process (a tend host process on the built library, PM2's daemon) idle and
 * with 20 and 100 idle apps, metrics sampling on (tend's default 1 s; PM2 as
 * it ships), then RSS before and after many restart cycles (a leak check).
 * The apps are `sleep` binaries so that what is measured is the supervisor.
 */
import { execFileSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import type { Contender, ContenderFactory, ScenarioOptions } from './contender.js'
import { IpcContender } from './ipc-contender.js'
import { cpuMsOf, figure, MiB, ratio, rssOf, sleep, type Figure } from './lib.js'

const hostScript = fileURLToPath(new URL('./fixtures/tend-host.mjs', import.meta.url))
const root = fileURLToPath(new URL('..', import.meta.url))

/** A tend Supervisor (the built dist/, metrics every second) in a host process of its own. */
async function createTendHost(): Promise<Contender> {
  execFileSync('npm', ['run', 'build', '--silent'], { cwd: root, stdio: 'ignore' })
  return IpcContender.spawn('tend', hostScript, ['1000'])
}

interface HostPhase {
  readonly rss: number[]
  readonly cpu: number[]
}

/** RSS (MiB) sampled every slice and CPU (% of one core) per slice, over `slices` slices. */
async function observe(pid: number, slices: number, sliceMs: number): Promise<HostPhase> {
  const rss: number[] = []
  const cpu: number[] = []
  for (let i = 0; i < slices; i++) {
    const cpuBefore = cpuMsOf(pid)
    const t = performance.now()
    await sleep(sliceMs)
    cpu.push(((cpuMsOf(pid) - cpuBefore) / (performance.now() - t)) * 100)
    rss.push(rssOf(pid) / MiB)
  }
  return { rss, cpu }
}

const sleeper = (name: string): Parameters<Contender['start']>[0] => ({ name, script: '/bin/sleep', binary: true, args: ['3600'] })

async function measureHost(side: Contender, quick: boolean): Promise<Map<string, HostPhase>> {
  const slices = quick ? 2 : 5
  const sliceMs = 1000
  const settle = quick ? 1000 : 2500
  const phases = new Map<string, HostPhase>()
  const pid = side.hostPid()
  await sleep(settle)
  phases.set('idle', await observe(pid, slices, sliceMs))
  for (let i = 0; i < 20; i++) await side.start(sleeper(`idle-${i}`))
  await sleep(settle)
  phases.set('20 apps', await observe(pid, slices, sliceMs))
  for (let i = 20; i < 100; i++) await side.start(sleeper(`idle-${i}`))
  await sleep(settle)
  phases.set('100 apps', await observe(pid, slices, sliceMs))
  for (let i = 0; i < 100; i++) await side.delete(`idle-${i}`)

  // leak check: RSS after N restart cycles next to RSS after a warm-up
  const cycles = quick ? 100 : 500
  await side.start(sleeper('cycle'))
  for (let i = 0; i < 20; i++) await side.restart('cycle')
  await sleep(settle)
  const before = await observe(pid, 3, 300)
  for (let i = 0; i < cycles; i++) await side.restart('cycle')
  await sleep(settle)
  const after = await observe(pid, 3, 300)
  phases.set(`after ${cycles} restarts`, { rss: after.rss, cpu: [] })
  phases.set('before restarts', { rss: before.rss, cpu: [] })
  await side.delete('cycle')
  return phases
}

export async function runOverhead({ quick, contenders }: ScenarioOptions): Promise<Figure[]> {
  // tend runs in a host process of its own here (not in the benchmark's process), like PM2's daemon
  const factories: ContenderFactory[] = [createTendHost, ...contenders.slice(1)]
  const measured = new Map<string, Map<string, HostPhase>>()
  for (const create of factories) {
    const side = await create()
    try {
      measured.set(side.label, await measureHost(side, quick))
    } finally {
      await side.close()
    }
  }
  const tend = measured.get('tend')!
  const other = [...measured].find(([label]) => label !== 'tend')
  const figures: Figure[] = []
  const pair = (phase: string, key: keyof HostPhase, metric: string, unit: string, target?: string): void => {
    const ours = tend.get(phase)![key]
    const fig = figure('overhead', metric, unit, ours, target ? { target } : {})
    const theirs = other?.[1].get(phase)?.[key]
    if (!other || !theirs || theirs.length === 0) return void figures.push(fig)
    const t = figure('', '', '', theirs)
    figures.push({ ...fig, versus: { label: other[0], median: t.median, min: t.min, max: t.max, ratio: ratio(fig.median, t.median) } })
  }
  for (const phase of ['idle', '20 apps', '100 apps']) {
    pair(
      phase,
      'rss',
      `host RSS, ${phase === 'idle' ? 'no apps' : `${phase} (idle, metrics on)`}`,
      'MiB',
      phase === '20 apps' ? '≤ 0.5x PM2' : undefined,
    )
    pair(phase, 'cpu', `host CPU, ${phase === 'idle' ? 'no apps' : `${phase} (idle, metrics on)`}`, '% of a core')
  }
  const cyclesPhase = [...tend.keys()].find((k) => k.startsWith('after'))!
  pair('before restarts', 'rss', 'host RSS after 20 warm-up restarts', 'MiB')
  pair(cyclesPhase, 'rss', `host RSS ${cyclesPhase.replace('restarts', 'restart cycles')}`, 'MiB', 'no growth beyond noise (a leak check)')
  return figures
}
