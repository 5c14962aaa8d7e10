/**
 * Log throughput: 200,000 lines of 100 bytes from one child and from 4
 * children (200,000 each), into files, four ways in the same run:
 *
 *   direct  the child's stdout is the file (no parent in the path)
 *   piped   a plain parent: child.stdout.pipe(fs.createWriteStream(file))
 *   tend    a Supervisor with a home, default options (rotation at 10M)
 *   tend+ts the same with time: true
 *
 * Each measurement runs in a fresh Node process, so CPU time and peak RSS
 * are that parent's (the supervisor's) alone; rounds interleave the
 * scenarios so the noise of a shared machine spreads over all of them, and
 * the median is reported.
 *
 *   node --import tsx bench/logs.ts [--lines 200000] [--rounds 5]
 *
 * `npm run bench` runs it too (runLogs), as Figure rows.
 */
import { spawn, spawnSync } from 'node:child_process'
import { createWriteStream, mkdtempSync, openSync, closeSync, readdirSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { parseArgs } from 'node:util'
import { Supervisor } from '../src/index.js'
import { compare, figure, type Figure } from './lib.js'

const WRITER = fileURLToPath(new URL('./fixtures/writer.cjs', import.meta.url))
const SCENARIOS = ['direct', 'piped', 'tend', 'tend+ts'] as const
type Scenario = (typeof SCENARIOS)[number]

interface Measurement {
  readonly ms: number
  readonly cpuMs: number
  readonly rssMB: number
  readonly bytes: number
}

const invokedDirectly = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href
const { values } = parseArgs({
  args: invokedDirectly ? process.argv.slice(2) : [],
  options: {
    lines: { type: 'string', default: '200000' },
    rounds: { type: 'string', default: '5' },
    scenario: { type: 'string' },
    writers: { type: 'string' },
  },
})
const lines = Number(values.lines)
const TARGETS: Partial<Record<Scenario, string>> = { tend: '≤ 1.1x piped', 'tend+ts': '≤ 1.3x piped' }

/** Total bytes of the files under `dir`. */
function bytesIn(dir: string): number {
  let total = 0
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) total += statSync(join(entry.parentPath, entry.name)).size
  }
  return total
}

function exitOf(child: ReturnType<typeof spawn>): Promise<void> {
  return new Promise((resolve, reject) => {
    child.once('error', reject)
    child.once('exit', () => resolve())
  })
}

async function run(scenario: Scenario, writers: number, dir: string): Promise<void> {
  const args = [WRITER, String(lines)]
  if (scenario === 'direct') {
    await Promise.all(
      Array.from({ length: writers }, async (_, i) => {
        const fd = openSync(join(dir, `w${i}.log`), 'a')
        const child = spawn(process.execPath, [...args, String(i)], { stdio: ['ignore', fd, 'ignore'] })
        closeSync(fd)
        await exitOf(child)
      }),
    )
  } else if (scenario === 'piped') {
    await Promise.all(
      Array.from({ length: writers }, async (_, i) => {
        const child = spawn(process.execPath, [...args, String(i)], { stdio: ['ignore', 'pipe', 'ignore'] })
        const file = createWriteStream(join(dir, `w${i}.log`))
        child.stdout.pipe(file)
        await Promise.all([exitOf(child), new Promise<void>((resolve) => file.once('finish', () => resolve()))])
      }),
    )
  } else {
    const sup = new Supervisor({ home: dir, metricsInterval: 0 })
    let exited = 0
    const done = new Promise<void>((resolve) => sup.on('process:exit', () => ++exited === writers && resolve()))
    await sup.start({
      name: 'bench',
      script: WRITER,
      args: [String(lines)],
      instances: writers,
      autorestart: false,
      time: scenario === 'tend+ts',
    })
    await done
    await sup.stop('bench') // resolves once everything is in the files
    await sup.close()
  }
}

/** One measurement, in this (fresh) process. */
async function measureHere(scenario: Scenario, writers: number): Promise<Measurement> {
  const dir = mkdtempSync(join(tmpdir(), 'tend-bench-'))
  try {
    const cpu = process.cpuUsage()
    const start = process.hrtime.bigint()
    await run(scenario, writers, dir)
    const ms = Number(process.hrtime.bigint() - start) / 1e6
    const used = process.cpuUsage(cpu)
    const bytes = bytesIn(dir)
    const expected = writers * lines * 100
    if (bytes < expected) throw new Error(`${scenario}: ${bytes} bytes in the files, expected at least ${expected}`)
    return { ms, cpuMs: (used.user + used.system) / 1000, rssMB: process.resourceUsage().maxRSS / 1024, bytes }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

function measureInChild(scenario: Scenario, writers: number): Measurement {
  const script = fileURLToPath(import.meta.url)
  const result = spawnSync(
    process.execPath,
    ['--import', 'tsx', script, '--scenario', scenario, '--writers', String(writers), '--lines', String(lines)],
    {
      encoding: 'utf8',
    },
  )
  if (result.status !== 0) throw new Error(`${scenario} x${writers} failed:\n${result.stderr}`)
  return JSON.parse(result.stdout) as Measurement
}

function median(numbers: number[]): number {
  const sorted = [...numbers].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
}

/** Every scenario for 1 and 4 writers, rounds interleaved. */
function measureAll(rounds: number): Map<number, Map<Scenario, Measurement[]>> {
  const all = new Map<number, Map<Scenario, Measurement[]>>()
  for (const writers of [1, 4]) {
    const samples = new Map<Scenario, Measurement[]>(SCENARIOS.map((scenario) => [scenario, []]))
    for (let round = 0; round < rounds; round++) {
      for (const scenario of SCENARIOS) samples.get(scenario)!.push(measureInChild(scenario, writers))
    }
    all.set(writers, samples)
  }
  return all
}

/** For `npm run bench`: the figures, with the comparisons measured in the same run. */
export function runLogs({ quick }: { quick: boolean }): Promise<Figure[]> {
  const figures: Figure[] = []
  for (const [writers, samples] of measureAll(quick ? 3 : 5)) {
    const piped = samples.get('piped')!.map((m) => m.ms)
    for (const scenario of SCENARIOS) {
      const list = samples.get(scenario)!
      const name = `logs ${scenario} x${writers}`
      const total = writers * lines
      figures.push(
        figure(
          name,
          `${total} lines of 100 bytes into files`,
          'ms',
          list.map((m) => m.ms),
          {
            ...(scenario === 'piped'
              ? {}
              : {
                  baseline: compare(
                    'piped through a plain parent',
                    list.map((m) => m.ms),
                    piped,
                  ),
                }),
            ...(writers === 1 && TARGETS[scenario] ? { target: TARGETS[scenario] } : {}),
          },
        ),
        figure(
          name,
          'lines per second',
          'lines/s',
          list.map((m) => Math.round(total / (m.ms / 1000))),
        ),
        figure(
          name,
          'MB/s into the files',
          'MB/s',
          list.map((m) => m.bytes / (m.ms / 1000) / 1024 / 1024),
        ),
        figure(
          name,
          'parent (supervisor) CPU time',
          'ms',
          list.map((m) => m.cpuMs),
          writers === 1 && scenario === 'tend' ? { target: '≤ 115 ms (0.5x PM2 7: 230 ms)' } : {},
        ),
        figure(
          name,
          'parent peak RSS',
          'MiB',
          list.map((m) => m.rssMB),
        ),
      )
    }
  }
  return Promise.resolve(figures)
}

async function main(): Promise<void> {
  if (values.scenario) {
    process.stdout.write(JSON.stringify(await measureHere(values.scenario as Scenario, Number(values.writers))))
    return
  }
  const rounds = Number(values.rounds)
  console.log(`${lines} lines of 100 bytes per writer, median of ${rounds} rounds, node ${process.version}\n`)
  console.log('writers  scenario   ms      lines/s     MB/s    vs piped  parent CPU ms  peak RSS MB')
  for (const [writers, samples] of measureAll(rounds)) {
    const pipedMs = median(samples.get('piped')!.map((m) => m.ms))
    for (const scenario of SCENARIOS) {
      const list = samples.get(scenario)!
      const ms = median(list.map((m) => m.ms))
      const total = writers * lines
      const row = [
        String(writers).padEnd(8),
        scenario.padEnd(10),
        ms.toFixed(0).padStart(5),
        Math.round(total / (ms / 1000))
          .toLocaleString('en-US')
          .padStart(12),
        (median(list.map((m) => m.bytes)) / (ms / 1000) / 1024 / 1024).toFixed(1).padStart(8),
        `${(ms / pipedMs).toFixed(2)}x`.padStart(9),
        median(list.map((m) => m.cpuMs))
          .toFixed(0)
          .padStart(14),
        median(list.map((m) => m.rssMB))
          .toFixed(0)
          .padStart(12),
      ]
      console.log(row.join(' '))
    }
  }
}

if (invokedDirectly) await main()
