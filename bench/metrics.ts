/**
 * What the metrics sampler costs the supervisor: CPU time of this process
 * while supervising N idle children with sampling off, then on.
 *
 *   node --import tsx bench/metrics.ts [processes=100] [seconds=10] [interval=1000]
 *
 * `npm run bench` runs it too (runMetrics: 100 processes, 1 s interval), as Figure rows.
 *
 * The children are `sleep` binaries, so they cost nothing themselves and the
 * only difference between the phases is the sampler (pidusage reads
 * /proc/<pid>/stat for every pid, one batched call per tick).
 */
import { fileURLToPath } from 'node:url'
import { Supervisor } from '../src/index.js'
import { figure, type Figure } from './lib.js'

interface Phase {
  readonly cpuMs: number
  readonly wallMs: number
  readonly samples: number
}

async function phase(count: number, seconds: number, metricsInterval: number): Promise<Phase> {
  const sup = new Supervisor({ metricsInterval })
  try {
    await sup.start({ name: 'idle', script: '/bin/sleep', interpreter: 'none', args: ['3600'], instances: count })
    let samples = 0
    let first: Promise<void> = Promise.resolve()
    if (metricsInterval > 0) {
      // Start measuring after the first full sample, when pidusage has opened every /proc file.
      first = new Promise((resolve) =>
        sup.on('metrics', (event) => {
          samples++
          if (event.processes.length === count && samples === 1) resolve()
        }),
      )
    }
    await first
    // Let the start-up work (spawning, output, JIT) settle before measuring.
    await new Promise((resolve) => setTimeout(resolve, 2000))
    samples = 0
    const cpu = process.cpuUsage()
    const start = performance.now()
    await new Promise((resolve) => setTimeout(resolve, seconds * 1000))
    const used = process.cpuUsage(cpu)
    return { cpuMs: (used.user + used.system) / 1000, wallMs: performance.now() - start, samples }
  } finally {
    await sup.close()
  }
}

/** Sampling off, then on, for N idle children; the difference is the sampler's cost. */
async function measure(count: number, seconds: number, interval: number): Promise<{ off: Phase; on: Phase }> {
  await phase(count, 1, 0) // warm-up: the first phase would otherwise carry module loading and JIT
  const off = await phase(count, seconds, 0)
  const on = await phase(count, seconds, interval)
  return { off, on }
}

export async function runMetrics({ quick }: { quick: boolean }): Promise<Figure[]> {
  const { off, on } = await measure(100, quick ? 2 : 8, 1000)
  const percent = (ms: number, wall: number): number => (ms / wall) * 100
  return [
    figure('metrics', 'supervisor CPU, 100 idle processes, sampling off', '% of a core', [percent(off.cpuMs, off.wallMs)]),
    figure('metrics', 'supervisor CPU, 100 idle processes, sampling every 1 s', '% of a core', [percent(on.cpuMs, on.wallMs)], {
      target: 'a few percent',
    }),
    figure('metrics', 'CPU per sample of 100 processes', 'ms', [(on.cpuMs - off.cpuMs) / Math.max(1, on.samples)]),
  ]
}

const invokedDirectly = process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]
if (invokedDirectly) {
  const count = Number(process.argv[2] ?? 100)
  const seconds = Number(process.argv[3] ?? 10)
  const interval = Number(process.argv[4] ?? 1000)
  const { off, on } = await measure(count, seconds, interval)
  const extraMs = on.cpuMs - off.cpuMs
  const percent = (ms: number, wall: number): string => `${((ms / wall) * 100).toFixed(2)} %`
  console.log(`${count} processes, ${seconds} s per phase, metricsInterval ${interval} ms, node ${process.version}`)
  console.log(`sampling off: ${off.cpuMs.toFixed(1)} ms CPU (${percent(off.cpuMs, off.wallMs)} of one core)`)
  console.log(`sampling on:  ${on.cpuMs.toFixed(1)} ms CPU (${percent(on.cpuMs, on.wallMs)} of one core), ${on.samples} samples`)
  console.log(
    `sampler cost: ${percent(extraMs, on.wallMs)} of one core, ${(extraMs / Math.max(1, on.samples)).toFixed(2)} ms CPU per sample of ${count} processes`,
  )
}
