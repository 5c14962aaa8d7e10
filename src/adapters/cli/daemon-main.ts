#!/usr/bin/env node
/**
 * The daemon's own entry: only what a daemon needs (no CLI parser, no YAML,
 * no Prometheus client unless --metrics-port asks for it), so it stays small in memory. The CLI launches it
 * detached; systemd runs it with `--resurrect`.
 */
import { metricsFlags } from './daemon-metrics.js'
import { runDaemon } from './daemon-verbs.js'

runDaemon({ resurrect: process.argv.includes('--resurrect'), ...metricsFlags(process.argv) }).then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`tend daemon: ${error instanceof Error ? error.message : String(error)}\n`)
    process.exit(1)
  },
)
