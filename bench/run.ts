/**
 * `npm run bench [-- --quick]`: runs every scenario, prints a Markdown table
 * and writes bench/results/<date>.json. Figures are medians of several runs
 * with min and max; comparisons are measured in the same run.
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { availableParallelism, cpus, totalmem } from 'node:os'
import { fileURLToPath } from 'node:url'
import { runCluster } from './cluster.js'
import { runCore } from './core.js'
import type { Figure } from './lib.js'

const quick = process.argv.includes('--quick')

function markdown(figures: Figure[]): string {
  const rows = figures.map((f) => {
    const vs = f.baseline ? `${f.baseline.median} (${f.baseline.label}); ratio ${f.baseline.ratio}` : ''
    return `| ${f.scenario} | ${f.metric} | ${f.median} ${f.unit} | ${f.min}–${f.max} | ${f.runs} | ${vs} | ${f.target ?? ''} |`
  })
  return ['| scenario | metric | median | min–max | runs | compared with | target |', '| --- | --- | --- | --- | --- | --- | --- |', ...rows].join('\n')
}

async function main(): Promise<void> {
  const started = Date.now()
  const figures: Figure[] = []
  const only = process.argv.find((arg) => arg.startsWith('--only='))?.slice('--only='.length).split(',')
  const scenarios: [string, (options: { quick: boolean }) => Promise<Figure[]>][] = [
    ['core', runCore],
    ['cluster', runCluster],
  ]
  for (const [name, run] of scenarios) {
    if (only && !only.includes(name)) continue
    console.error(`running ${name}…`)
    figures.push(...(await run({ quick })))
  }
  const machine = { node: process.version, cpus: availableParallelism(), cpu: cpus()[0]?.model, memory: totalmem() }
  const table = markdown(figures)
  console.log(table)
  const dir = fileURLToPath(new URL('./results/', import.meta.url))
  mkdirSync(dir, { recursive: true })
  const stamp = new Date().toISOString().replace(/[:.]/g, '-')
  const file = `${dir}${stamp}${quick ? '-quick' : ''}.json`
  writeFileSync(file, JSON.stringify({ date: new Date().toISOString(), quick, machine, seconds: (Date.now() - started) / 1000, figures }, null, 2))
  writeFileSync(file.replace(/\.json$/, '.md'), `${table}\n`)
  console.log(`\nwrote ${file}`)
}

main().catch((error: unknown) => {
  console.error(error)
  process.exitCode = 1
})
