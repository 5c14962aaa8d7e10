/** Verbs that set things up around the daemon: ecosystem (init), update, unstartup. */
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import type { Command } from 'commander'
import type { ProcessInfo } from '../../types.js'
import { VERSION } from '../../version.js'
import { CliError, daemon, out, report, runningDaemon } from './context.js'
import { kill } from './daemon-verbs.js'
import { unstartup } from './startup-verb.js'

/** Is the nearest package.json `"type": "module"` (where a `.js` file cannot use module.exports)? */
function inEsmPackage(dir: string): boolean {
  for (let at = resolve(dir); ; at = dirname(at)) {
    const file = join(at, 'package.json')
    if (existsSync(file)) {
      try {
        return (JSON.parse(readFileSync(file, 'utf8')) as { type?: unknown }).type === 'module'
      } catch {
        return false
      }
    }
    if (dirname(at) === at) return false
  }
}

function sample(simple: boolean): string {
  if (simple) return `module.exports = {\n  apps: [{ name: 'app', script: './app.js' }],\n}\n`
  return `// tend (and PM2) ecosystem file: tend start ecosystem.config.js [--env production]
// Every key: docs/ecosystem-and-migrating-from-pm2.md
module.exports = {
  apps: [
    {
      name: 'app',
      script: './app.js',
      instances: 1, // a number, or 'max'; with exec_mode 'cluster' the instances share ports
      exec_mode: 'fork',
      max_memory_restart: '300M',
      kill_timeout: 3000,
      env: { NODE_ENV: 'development' },
      env_production: { NODE_ENV: 'production' },
    },
  ],
}
`
}

/** `tend ecosystem [simple]` (PM2's `init`): writes a sample ecosystem file in the current directory. */
function ecosystem(mode: string | undefined, options: { force?: boolean }): void {
  if (mode !== undefined && mode !== 'simple')
    throw new CliError(`tend ecosystem takes "simple" or nothing, got "${mode}"`, { exitCode: 2 })
  const path = resolve(inEsmPackage(process.cwd()) ? 'ecosystem.config.cjs' : 'ecosystem.config.js')
  if (existsSync(path) && !options.force) throw new CliError(`${path} exists; --force replaces it`)
  writeFileSync(path, sample(mode === 'simple'))
  out(`wrote ${path}\nstart it with: tend start ${path.slice(process.cwd().length + 1)}`)
}

/**
 * `tend update`: replaces a running daemon with one of this tend's version,
 * keeping its apps: save (when something runs), kill, start, resurrect.
 */
async function update(options: { json?: boolean }): Promise<void> {
  const client = await runningDaemon()
  if (!client) {
    const fresh = await daemon()
    await fresh.close()
    report(options.json, { updated: false, version: VERSION }, () => `no daemon was running; started one (${VERSION})`)
    return
  }
  const before = await client.call<{ pid: number; version: string; processes: number }>('ping')
  if (before.processes > 0) await client.call('save', [{ force: false }])
  await client.close()
  await kill({ json: false, quiet: true })
  const fresh = await daemon()
  try {
    const back = before.processes > 0 ? await fresh.call<ProcessInfo[]>('resurrect') : []
    const after = await fresh.call<{ pid: number; version: string }>('ping')
    report(
      options.json,
      { updated: true, from: before, to: after, processes: back.length },
      () => `daemon ${before.version} (pid ${before.pid}) → ${after.version} (pid ${after.pid}); ${back.length} process(es) back`,
    )
  } finally {
    await fresh.close()
  }
}
export function setupVerbs(program: Command): void {
  program
    .command('ecosystem')
    .alias('init')
    .description('write a sample ecosystem file (ecosystem.config.js) in the current directory')
    .argument('[mode]', '"simple" for a minimal one')
    .option('--force', 'replace an existing file')
    .action(ecosystem)
  program
    .command('update')
    .description('restart the daemon with this version of tend, keeping its apps (save, kill, resurrect)')
    .option('--json', 'print JSON instead of text')
    .action(update)
  program
    .command('unstartup')
    .description('remove the systemd unit tend startup --write installed')
    .argument('[system]', 'init system', 'systemd')
    .option('--unit-path <path>', 'the unit file (default: the systemd user or system directory)')
    .option('--service-name <name>', 'the unit name (default tend)')
    .action(unstartup)
}
