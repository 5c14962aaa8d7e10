/**
 * Every PM2 `start` flag tend takes parses through the real command line
 * (commander) into a spec that tend's normalize step accepts, with the value
 * PM2 means.
 */
import { describe, expect, it } from 'vitest'
import { buildProgram } from '../../../src/adapters/cli/program.js'
import { specsForStart, type StartOptions } from '../../../src/adapters/cli/process-verbs.js'
import { START_FLAGS } from '../../../src/adapters/cli/start-options.js'
import { normalizeSpec } from '../../../src/config/normalize.js'
import type { NormalizedSpec } from '../../../src/index.js'
import { fixture } from '../../helpers.js'

/** Parses `tend start <argv>` and returns the normalized spec it would start. */
async function parsed(argv: string[]): Promise<NormalizedSpec> {
  const program = buildProgram()
  let captured: { file: string; args: string[]; options: StartOptions } | undefined
  program.commands
    .find((command) => command.name() === 'start')!
    .action((file: string, args: string[], options: StartOptions) => {
      captured = { file, args, options }
    })
  await program.parseAsync(['node', 'tend', 'start', ...argv])
  const [spec] = await specsForStart(captured!.file, captured!.args, captured!.options)
  return normalizeSpec(spec, { env: process.env, baseCwd: process.cwd() })
}

describe('tend start flags', () => {
  const script = fixture('long-running.cjs')

  it('maps each PM2 flag onto its spec key with the value PM2 means', async () => {
    const spec = await parsed([
      script,
      '--name',
      'api',
      '--max-memory-restart',
      '300M',
      '-c',
      '0 3 * * *',
      '--max-restarts',
      '5',
      '--min-uptime',
      '2s',
      '--restart-delay',
      '250',
      '--no-autorestart',
      '--stop-exit-codes',
      '0',
      '3',
      '--wait-ready',
      '--listen-timeout',
      '8000',
      '-k',
      '4000',
      '--kill-signal',
      'term',
      '--shutdown-with-message',
      '--no-treekill',
      '--watch',
      '--ignore-watch',
      'tmp',
      'logs',
      '--watch-delay',
      '2',
      '-o',
      '/tmp/x-out.log',
      '-e',
      '/tmp/x-err.log',
      '-l',
      '/tmp/x.log',
      '--merge-logs',
      '--time',
      '--log-type',
      'json',
      '--interpreter-args',
      '--no-warnings',
      '--source-map-support',
      '--instance-var',
      'INSTANCE_ID',
      '--no-autostart',
      '--',
      'a',
      'b',
    ])
    expect(spec).toMatchObject({
      name: 'api',
      args: ['a', 'b'],
      maxMemoryRestart: 300 * 1024 * 1024,
      cronRestart: '0 3 * * *',
      maxRestarts: 5,
      minUptime: 2000,
      restartDelay: 250,
      autorestart: false,
      autostart: false,
      stopExitCodes: [0, 3],
      waitReady: true,
      listenTimeout: 8000,
      killTimeout: 4000,
      killSignal: 'SIGTERM',
      shutdownWithMessage: true,
      treekill: false,
      ignoreWatch: ['tmp', 'logs'],
      watchDelay: 2000, // a bare number is seconds for --watch-delay, as in PM2
      outFile: '/tmp/x-out.log',
      errorFile: '/tmp/x-err.log',
      logFile: '/tmp/x.log',
      mergeLogs: true,
      time: true,
      logType: 'json',
      interpreterArgs: ['--no-warnings', '--enable-source-maps'],
      instanceVar: 'INSTANCE_ID',
    })
    expect(spec.watch).toEqual([spec.cwd])
  })

  it('takes the other spellings: --cron, --exp-backoff-restart-delay, -x with -i, --log-date-format, --disable-logs', async () => {
    const spec = await parsed([
      script,
      '--cron',
      '*/5 * * * *',
      '--exp-backoff-restart-delay',
      '100',
      '-x',
      '-i',
      '2',
      '--log-date-format',
      'YYYY-MM-DD',
      '--disable-logs',
    ])
    expect(spec).toMatchObject({ cronRestart: '*/5 * * * *', mode: 'fork', instances: 2, logDateFormat: 'YYYY-MM-DD', disableLogs: true })
    expect(spec.backoff).toMatchObject({ initialDelay: 100 })
    expect((await parsed([script, '-i', '2'])).mode).toBe('cluster')
  })

  it('leaves the spec as it was when a flag is not given (negatable flags too)', async () => {
    const spec = await parsed([script])
    expect(spec).toMatchObject({ autorestart: true, autostart: true, treekill: true, waitReady: false, maxMemoryRestart: null })
  })

  it('registers every flag of the table on start', () => {
    const start = buildProgram().commands.find((command) => command.name() === 'start')!
    const longs = new Set(start.options.map((option) => option.long))
    expect(START_FLAGS.map((flag) => /--[\w-]+/.exec(flag.flags)![0]).filter((flag) => !longs.has(flag))).toEqual([])
  })
})
