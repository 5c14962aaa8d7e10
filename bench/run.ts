/**
 * `npm run bench [-- --quick] [--only=core,cluster] [--compare pm2]`: runs
 * every scenario, prints a Markdown table and writes
 * bench/results/<date>.json and .md. Figures are medians of several runs with
 * min and max; comparisons (bare node, plain node:cluster, PM2) are measured
 * in the same run, interleaved. Exits non-zero only when a scenario errors,
 * never because of a timing.
 */
import { execFileSync } from 'node:child_process'
import { mkdirSync, writeFileSync } from 'node:fs'
import { availableParallelism, cpus, loadavg, totalmem } from 'node:os'
import { fileURLToPath } from 'node:url'
import { runAppSdk } from './app-sdk.js'
import { runCluster, runClusterReload } from './cluster.js'
import { TendContender, type ContenderFactory, type ScenarioOptions } from './contender.js'
import { runControl } from './control.js'
import { runCore } from './core.js'
import { runCostCurve } from './cost-curve.js'
import { runCrash } from './crash.js'
import { runForkReload } from './fork-reload.js'
import type { Figure } from './lib.js'
import { runLogs } from './logs.js'
import { runMetrics } from './metrics.js'
import { runMonitBench } from './monit.js'
import { runOverhead } from './overhead.js'
import { runProbes } from './probes.js'
import { createPm2Contender } from './pm2/pm2-contender.js'
import { runRpc } from './rpc.js'
import { runSockets, runSocketsThroughput } from './sockets.js'

const quick = process.argv.includes('--quick')
const compareArg = process.argv.find((arg) => arg.startsWith('--compare'))
const compareWith = compareArg === '--compare' ? process.argv[process.argv.indexOf(compareArg) + 1] : compareArg?.split('=')[1]
if (compareWith !== undefined && compareWith !== 'pm2') {
  console.error(`--compare takes pm2 (the only other supervisor measured), not ${compareWith}`)
  process.exit(2)
}
const only = process.argv
  .find((arg) => arg.startsWith('--only='))
  ?.slice('--only='.length)
  .split(',')

const scenarios: [string, (options: ScenarioOptions) => Promise<Figure[]>][] = [
  ['core', runCore],
  ['cluster', runCluster],
  ['cluster-reload', runClusterReload],
  ['logs', runLogs],
  ['crash', runCrash],
  ['fork-reload', runForkReload],
  ['overhead', runOverhead],
  ['metrics', runMetrics],
  ['control', runControl],
  ['rpc', runRpc],
  ['monit', runMonitBench],
  ['sockets', runSockets],
  ['sockets-throughput', runSocketsThroughput],
  ['cost-curve', runCostCurve],
  ['app-sdk', runAppSdk],
  ['probes', runProbes],
]

/** Scenarios a full run already covers (cluster-reload is part of cluster): run only when named in --only. */
const ONLY_WHEN_NAMED = new Set(['cluster-reload'])

function cell(f: Figure): string {
  return `${f.median} ${f.unit}`
}

function markdown(figures: Figure[]): string {
  const withVersus = figures.some((f) => f.versus)
  const rows = figures.map((f) => {
    const baseline = f.baseline ? `${f.baseline.median} (${f.baseline.label}); ratio ${f.baseline.ratio}` : ''
    const versus = withVersus
      ? f.versus
        ? ` ${f.versus.median} (${f.versus.min}–${f.versus.max}) | ${f.versus.ratio ?? '—'} |`
        : ' | |'
      : ''
    return `| ${f.scenario} | ${f.metric} | ${cell(f)} | ${f.min}–${f.max} | ${f.runs} |${versus} ${baseline} | ${f.target ?? ''} |`
  })
  const head = withVersus
    ? [
        '| scenario | metric | tend median | min–max | runs | PM2 median (min–max) | tend/PM2 | compared with | target |',
        '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
      ]
    : ['| scenario | metric | median | min–max | runs | compared with | target |', '| --- | --- | --- | --- | --- | --- | --- |']
  return [...head, ...rows].join('\n')
}

function pm2Version(): string {
  const root = fileURLToPath(new URL('..', import.meta.url))
  return (
    JSON.parse(execFileSync(process.execPath, ['-p', 'JSON.stringify(require("pm2/package.json"))'], { cwd: root, encoding: 'utf8' })) as {
      version: string
    }
  ).version
}

async function main(): Promise<void> {
  const started = Date.now()
  const figures: Figure[] = []
  const errors: { scenario: string; error: string }[] = []
  const contenders: ContenderFactory[] = [() => Promise.resolve(new TendContender())]
  if (compareWith === 'pm2') contenders.push(createPm2Contender)
  const seconds: Record<string, number> = {}
  for (const [name, run] of scenarios) {
    if (only ? !only.includes(name) : ONLY_WHEN_NAMED.has(name)) continue
    console.error(`running ${name}…`)
    const t = Date.now()
    try {
      figures.push(...(await run({ quick, contenders })))
    } catch (error) {
      console.error(`${name} failed:`, error)
      errors.push({ scenario: name, error: error instanceof Error ? (error.stack ?? error.message) : String(error) })
    }
    seconds[name] = (Date.now() - t) / 1000
  }
  const machine = {
    node: process.version,
    cpus: availableParallelism(),
    cpu: cpus()[0]?.model,
    memory: totalmem(),
    loadAverageAtEnd: loadavg().map((l) => Math.round(l * 100) / 100),
    ...(compareWith === 'pm2' ? { pm2: pm2Version() } : {}),
  }
  const table = markdown(figures)
  console.log(table)
  const dir = fileURLToPath(new URL('./results/', import.meta.url))
  mkdirSync(dir, { recursive: true })
  const stamp = new Date().toISOString().replace(/[:.]/g, '-')
  const file = `${dir}${stamp}${quick ? '-quick' : ''}${compareWith ? `-vs-${compareWith}` : ''}.json`
  const result = {
    date: new Date().toISOString(),
    quick,
    compare: compareWith ?? null,
    machine,
    seconds: (Date.now() - started) / 1000,
    scenarioSeconds: seconds,
    errors,
    figures,
  }
  writeFileSync(file, JSON.stringify(result, null, 2))
  writeFileSync(file.replace(/\.json$/, '.md'), `${table}\n`)
  console.log(`\nwrote ${file} (${result.seconds} s)`)
  if (errors.length > 0) {
    console.error(`${errors.length} scenario(s) failed: ${errors.map((e) => e.scenario).join(', ')}`)
    process.exitCode = 1
  }
}

main().catch((error: unknown) => {
  console.error(error)
  process.exitCode = 1
})
