/**
 * PM2's `start` flags that map onto a spec key, in one table: program.ts
 * registers them, specsForStart() turns the ones given into spec fields.
 * Values keep PM2's spelling (`200M`, `3000`, `5s`); the spec's normalize
 * step validates them with the option's name.
 */
import { Option } from 'commander'
import type { AppSpec } from '../../types.js'
import { usageError } from './context.js'

type SpecKey = keyof AppSpec

export interface StartFlag {
  /** commander's flags text, e.g. `-k, --kill-timeout <ms>`. */
  readonly flags: string
  readonly help: string
  /** The spec field it sets; the value is what `toSpec` makes of the option's value. */
  readonly key: SpecKey
  readonly toSpec: (value: unknown) => unknown
}

const asIs = (value: unknown): unknown => value
const yes = (): unknown => true
const no = (): unknown => false
const words = (value: unknown): string[] =>
  String(value)
    .split(/[\s,]+/)
    .filter(Boolean)
/** A count: the flag's text as an integer (the spec validates the range). */
function integer(name: string): (value: unknown) => number {
  return (value) => {
    const text = String(value)
    if (!/^-?\d+$/.test(text)) throw usageError(`${name} takes an integer, got "${text}"`)
    return Number(text)
  }
}
/** PM2 reads a bare number for --watch-delay as seconds ("--watch-delay 4"); `4000ms`, `4s` are as written. */
const seconds = (value: unknown): unknown => (/^\d+(\.\d+)?$/.test(String(value)) ? Math.round(Number(value) * 1000) : value)

export const START_FLAGS: readonly StartFlag[] = [
  {
    flags: '--max-memory-restart <size>',
    help: 'restart when resident memory passes this (bytes, 200M, 1G)',
    key: 'maxMemoryRestart',
    toSpec: asIs,
  },
  { flags: '-c, --cron-restart <pattern>', help: 'restart on a cron schedule ("0 3 * * *")', key: 'cronRestart', toSpec: asIs },
  { flags: '--cron <pattern>', help: 'alias of --cron-restart', key: 'cronRestart', toSpec: asIs },
  {
    flags: '--max-restarts <n>',
    help: 'unstable restarts in a row before the process is errored',
    key: 'maxRestarts',
    toSpec: integer('--max-restarts'),
  },
  { flags: '--min-uptime <ms>', help: 'a run shorter than this is unstable', key: 'minUptime', toSpec: asIs },
  { flags: '--restart-delay <ms>', help: 'wait this long before restarting after a crash', key: 'restartDelay', toSpec: asIs },
  {
    flags: '--exp-backoff-restart-delay <ms>',
    help: 'restart with an exponential backoff starting at this delay',
    key: 'backoff',
    toSpec: (value) => ({ initialDelay: value }),
  },
  { flags: '--no-autorestart', help: 'do not restart the app when it exits', key: 'autorestart', toSpec: no },
  { flags: '--no-autostart', help: 'register the app without starting it', key: 'autostart', toSpec: no },
  {
    flags: '--stop-exit-codes <codes...>',
    help: 'exit codes that end the app instead of restarting it',
    key: 'stopExitCodes',
    toSpec: (value) => (value as string[]).flatMap(words).map(integer('--stop-exit-codes')),
  },
  { flags: '--wait-ready', help: "online only once the app sends process.send('ready')", key: 'waitReady', toSpec: yes },
  { flags: '--listen-timeout <ms>', help: 'how long to wait for readiness', key: 'listenTimeout', toSpec: asIs },
  { flags: '-k, --kill-timeout <ms>', help: 'SIGKILL this long after the stop signal', key: 'killTimeout', toSpec: asIs },
  {
    flags: '--kill-signal <signal>',
    help: 'the stop signal (default SIGINT)',
    key: 'killSignal',
    toSpec: (value) =>
      String(value)
        .toUpperCase()
        .replace(/^(?!SIG)/, 'SIG'),
  },
  {
    flags: '--shutdown-with-message',
    help: "stop with process.send('shutdown') instead of a signal",
    key: 'shutdownWithMessage',
    toSpec: yes,
  },
  { flags: '--no-treekill', help: 'signal the process alone, not its process group', key: 'treekill', toSpec: no },
  {
    flags: '--ignore-watch <paths...>',
    help: 'paths or globs the watcher ignores',
    key: 'ignoreWatch',
    toSpec: (value) => (value as string[]).flatMap(words),
  },
  {
    flags: '--watch-delay <delay>',
    help: 'debounce of watch restarts (a bare number is seconds, as in PM2; or 4000ms)',
    key: 'watchDelay',
    toSpec: seconds,
  },
  { flags: '-o, --output <path>', help: 'file for stdout', key: 'outFile', toSpec: asIs },
  { flags: '-e, --error <path>', help: 'file for stderr', key: 'errorFile', toSpec: asIs },
  { flags: '--merge-logs', help: 'one out and one err file for all instances', key: 'mergeLogs', toSpec: yes },
  { flags: '--time', help: 'prefix each log line with an ISO 8601 timestamp', key: 'time', toSpec: yes },
  {
    flags: '--log-date-format <format>',
    help: 'prefix each log line with a timestamp in this format (YYYY-MM-DD HH:mm:ss)',
    key: 'logDateFormat',
    toSpec: asIs,
  },
  { flags: '--log-type <type>', help: 'text (default) or json log lines', key: 'logType', toSpec: asIs },
  { flags: '--disable-logs', help: 'write no log files', key: 'disableLogs', toSpec: yes },
  {
    flags: '--instance-var <name>',
    help: 'the variable holding the instance index (default NODE_APP_INSTANCE)',
    key: 'instanceVar',
    toSpec: asIs,
  },
]

export function startFlagOptions(): Option[] {
  return START_FLAGS.map((flag) => new Option(flag.flags, flag.help))
}

/** The spec fields of the flags given (commander's parsed options in). */
export function specFromFlags(options: Readonly<Record<string, unknown>>): Partial<Record<SpecKey, unknown>> {
  const spec: Partial<Record<SpecKey, unknown>> = {}
  for (const flag of START_FLAGS) {
    const value = options[new Option(flag.flags).attributeName()]
    // Negatable flags default to true: only a `false` was asked for.
    const negatable = flag.flags.startsWith('--no-')
    if (value === undefined || (negatable && value !== false)) continue
    spec[flag.key] = flag.toSpec(value)
  }
  return spec
}
