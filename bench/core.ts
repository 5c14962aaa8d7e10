/**
 * Core scenarios (issue 2): start latency next to a bare node, restart
 * latency, supervisor CPU per restart, and a supervised idle app's RSS next
 * to the same app run bare.
 */
import { fileURLToPath } from 'node:url'
import { Supervisor } from '../src/index.js'
import { bareFirstLine, compare, figure, MiB, rssOf, type Figure } from './lib.js'

const app = fileURLToPath(new URL('./fixtures/idle-app.cjs', import.meta.url))

async function startToFirstLine(sup: Supervisor, name: string): Promise<{ ms: number; online: number }> {
  const started = performance.now()
  let online = 0
  const firstLine = new Promise<number>((resolve) => {
    const listener = (event: { process: { name: string } }): void => {
      if (event.process.name !== name) return
      sup.off('log:out', listener)
      resolve(performance.now() - started)
    }
    sup.on('log:out', listener)
  })
  await sup.start({ name, script: app })
  online = performance.now() - started
  return { ms: await firstLine, online }
}

export async function runCore({ quick }: { quick: boolean }): Promise<Figure[]> {
  const runs = quick ? 5 : 15
  const restarts = quick ? 20 : 100
  const figures: Figure[] = []

  // warm the file system cache and V8's code cache for both sides
  await (await bareFirstLine(app)).kill()

  const bare: number[] = []
  const supervised: number[] = []
  const online: number[] = []
  const sup = new Supervisor({ metricsInterval: 0 })
  try {
    for (let i = 0; i < runs; i++) {
      const b = await bareFirstLine(app)
      bare.push(b.ms)
      await b.kill()
      const s = await startToFirstLine(sup, `start-${i}`)
      supervised.push(s.ms)
      online.push(s.online)
      await sup.delete(`start-${i}`)
    }
    figures.push(
      figure('start', 'start() to first line of output (fork, 1 instance)', 'ms', supervised, {
        baseline: compare('bare `node app.js` to first line', supervised, bare),
        target: 'within 15 ms of bare',
      }),
      figure('start', 'start() until it resolves (online)', 'ms', online),
      figure('start', 'bare `node app.js` to first line', 'ms', bare),
    )

    // restart latency and the supervisor's CPU per restart
    await sup.start({ name: 'restarts', script: app })
    const restartMs: number[] = []
    const cpuBefore = process.cpuUsage()
    for (let i = 0; i < restarts; i++) {
      const t = performance.now()
      await sup.restart('restarts')
      restartMs.push(performance.now() - t)
    }
    const cpu = process.cpuUsage(cpuBefore)
    const cpuPerRestart = (cpu.user + cpu.system) / 1000 / restarts
    // the same, until the new process has printed its first line (it is really up)
    const restartToLine: number[] = []
    for (let i = 0; i < runs; i++) {
      const t = performance.now()
      const line = new Promise<void>((resolve) => sup.once('log:out', () => resolve()))
      await sup.restart('restarts')
      await line
      restartToLine.push(performance.now() - t)
    }
    figures.push(
      figure('restart', 'restart() of a fork app until it resolves (stop + spawn)', 'ms', restartMs, {
        target: '≤ 100 ms (PM2 7: 122 ms)',
      }),
      figure('restart', 'restart() until the new process printed its first line', 'ms', restartToLine),
      figure('restart', 'supervisor CPU per restart', 'ms', [cpuPerRestart], { target: '≤ 3 ms (PM2 7: 12.6 ms)' }),
    )
    await sup.delete('restarts')

    // RSS: supervised idle app next to the same app bare
    const supervisedRss: number[] = []
    const bareRss: number[] = []
    for (let i = 0; i < Math.min(runs, 5); i++) {
      const b = await bareFirstLine(app)
      await settle()
      bareRss.push(rssOf(b.pid) / MiB)
      await b.kill()
      await startToFirstLine(sup, `rss-${i}`)
      await settle()
      supervisedRss.push(rssOf(sup.describe(`rss-${i}`)[0]!.pid!) / MiB)
      await sup.delete(`rss-${i}`)
    }
    figures.push(
      figure('overhead', 'RSS of a supervised idle app', 'MiB', supervisedRss, {
        baseline: compare('the same app run bare', supervisedRss, bareRss),
        target: 'within 1 MiB of bare (PM2 adds 11.4 MiB)',
      }),
    )
  } finally {
    await sup.close()
  }
  return figures
}

function settle(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 300))
}
