/**
 * Public types of tend: specs and process snapshots here; probes, groups
 * and events in src/types/, re-exported from here so every module and user
 * imports them from one place.
 */
import type { GroupSpec } from './types/groups.js'
import type { NormalizedProbes, ProbesSpec, ProcessHealth } from './types/probes.js'

export type {
  ProcessEvent,
  ProcessExitEvent,
  ProcessRestartEvent,
  ProcessErroredEvent,
  ProcessMessageEvent,
  ProcessExceptionEvent,
  ProcessWarningEvent,
  ProcessHealthEvent,
  ProcessMetricInvalidEvent,
  GroupRestartEvent,
  GroupErroredEvent,
  LogEvent,
  LogFileErrorEvent,
  MetricsEvent,
  SupervisorEvents,
  EventName,
} from './types/events.js'
export type { GroupStrategy, GroupSpec, NormalizedGroup, GroupInfo } from './types/groups.js'
export type {
  ProbeCheckSpec,
  ProbeSpec,
  ProbesSpec,
  NormalizedProbeCheck,
  NormalizedProbe,
  NormalizedProbes,
  ProcessHealth,
} from './types/probes.js'

/** How a process runs: a child process of its own, or a node:cluster worker. */
export type Mode = 'fork' | 'cluster'

/** The life of a process, as `ProcessInfo.status` reports it. */
export type Status = 'launching' | 'online' | 'stopping' | 'stopped' | 'waiting-restart' | 'errored'

/** Why a process exited, on `process:exit`. */
export type ExitReason =
  /** An exit not asked for, with a non-zero code or a signal. */
  | 'crash'
  /** An exit not asked for, with code 0 or a code in `stopExitCodes`. */
  | 'exit'
  | 'stop'
  | 'restart'
  | 'reload'
  | 'scale'
  | 'memory'
  | 'cron'
  | 'watch'
  | 'ready-timeout'
  | 'delete'
  /** A liveness or startup probe failed `failureThreshold` times in a row (see `probes`). */
  | 'unhealthy'
  /** Stopped by its group's strategy: a restart of the group (`one_for_all`, `rest_for_one`) or the group giving up. */
  | 'group'

/** A size: bytes as a number, or a string with K, M or G (powers of 1024). */
export type Size = number | `${number}` | `${number}${'K' | 'M' | 'G' | 'k' | 'm' | 'g' | 'KB' | 'MB' | 'GB'}`

/** A duration: milliseconds as a number, or a string with ms, s, m or h. */
export type Duration = number | `${number}` | `${number}${'ms' | 's' | 'm' | 'h'}`

/** Backoff settings as a spec gives them; any left out take their default. */
export interface BackoffSpec {
  /** Delay before the first restart after a stable run. @default 100 */
  readonly initialDelay?: Duration
  /** Each consecutive restart waits this many times longer. @default 1.5 */
  readonly factor?: number
  /** The cap on one delay. @default 15000 */
  readonly maxDelay?: Duration
  /** Uptime after which the attempt count (and so the delay) starts again. @default 30000 */
  readonly resetAfter?: Duration
  /** Multiply each delay by a random factor in [1, 2). @default false */
  readonly jitter?: boolean
}

/** Backoff settings after defaults: ms and a factor. */
export interface Backoff {
  readonly initialDelay: number
  readonly factor: number
  readonly maxDelay: number
  readonly resetAfter: number
  readonly jitter: boolean
}

/** What a user gives `start()`: one app with N instances. */
export interface AppSpec {
  /** Unique within the Supervisor. Defaults to the script's base name without extension. */
  readonly name?: string
  /** The script or binary to run, relative to `cwd`. */
  readonly script: string
  /** Arguments for the script: an array, or one string split on spaces. */
  readonly args?: readonly string[] | string
  /**
   * `'node'` (the default for .js, .mjs and .cjs), `'none'` to run `script` as a binary,
   * or a command or path (`'python3'`, `'/usr/bin/ruby'`). .sh runs with bash and .py with python3 by default.
   */
  readonly interpreter?: string
  /** Arguments for the interpreter (node flags such as `--max-old-space-size=512`). */
  readonly interpreterArgs?: readonly string[] | string
  /** Working directory. @default the host process's cwd */
  readonly cwd?: string
  /** Environment over the supervisor's own. Numbers and booleans are passed as strings. */
  readonly env?: Readonly<Record<string, string | number | boolean>>
  /** A group name to target several apps at once. @default 'default' */
  readonly namespace?: string
  /** @default 'fork' */
  readonly mode?: Mode
  /** How many processes: a number, `'max'` (one per CPU) or a negative number (CPUs minus n). @default 1 */
  readonly instances?: number | 'max' | `${number}`
  /** Launch the processes at `start()`; when false the app is registered stopped. @default true */
  readonly autostart?: boolean
  /** Restart a process that exits without being asked to. @default true */
  readonly autorestart?: boolean
  /** Exit codes that mean "done, do not restart". @default [] */
  readonly stopExitCodes?: readonly number[] | number
  /** An exit sooner than this after start is unstable and counts towards `maxRestarts`. @default 1000 */
  readonly minUptime?: Duration
  /** Consecutive unstable restarts before the process is given up as `errored`. @default 16 */
  readonly maxRestarts?: number
  /** Fixed delay before a restart (when `backoff` is off). @default 0 */
  readonly restartDelay?: Duration
  /**
   * Exponential backoff between restarts, replacing `restartDelay`: `true` for
   * the defaults, or some of them changed. See docs/restart-policy.md.
   * @default false
   */
  readonly backoff?: boolean | BackoffSpec
  /** Restart a process whose resident memory exceeds this (bytes, or `'200M'`); checked on every metrics sample. */
  readonly maxMemoryRestart?: Size
  /** A cron expression (5 fields, or 6 with seconds first) on which running processes are restarted. */
  readonly cronRestart?: string
  /**
   * Restart on file changes: `true` watches `cwd`; paths (or one path) are
   * relative to `cwd`. `node_modules` and dot files are always ignored.
   * @default false
   */
  readonly watch?: boolean | string | readonly string[]
  /** More paths or globs (relative to `cwd`) whose changes do not restart. @default [] */
  readonly ignoreWatch?: string | readonly string[]
  /** Quiet time after the last change before the restart, so a burst gives one restart. @default 1000 */
  readonly watchDelay?: Duration
  /** Signal a stop sends first. @default 'SIGINT' */
  readonly killSignal?: NodeJS.Signals
  /** How long a stop waits before SIGKILL. @default 1600 */
  readonly killTimeout?: Duration
  /** Signal the whole process group, so a stop reaches grandchildren. @default true */
  readonly treekill?: boolean
  /** Stop by sending the message `'shutdown'` over IPC instead of `killSignal`. @default false */
  readonly shutdownWithMessage?: boolean
  /** The process is online only once it sends `'ready'` (`process.send('ready')`). @default false */
  readonly waitReady?: boolean
  /** How long to wait for readiness. @default 3000 */
  readonly listenTimeout?: Duration
  /** The environment variable holding the instance index. @default 'NODE_APP_INSTANCE' */
  readonly instanceVar?: string
  /** An environment variable to increment per instance (for example `'PORT'`): instance i gets base + i. */
  readonly incrementVar?: string
  /**
   * The stdout log file, relative to `cwd`; `false` or `'/dev/null'` turns it off.
   * @default `<home>/logs/<name>-<instance>-out.log` when the Supervisor has a `home`, else none
   */
  readonly outFile?: string | false
  /** The stderr log file, as `outFile`. @default `<home>/logs/<name>-<instance>-err.log` when there is a `home` */
  readonly errorFile?: string | false
  /** One file for stdout and stderr together, as `outFile`. @default none */
  readonly logFile?: string | false
  /** One file per app for all its instances (no `-<id>` in the names). @default false */
  readonly mergeLogs?: boolean
  /** Prefix every line in the files with an ISO 8601 UTC timestamp with ms and one space. @default false */
  readonly time?: boolean
  /** Prefix every line in the files with the local time in this format (`'YYYY-MM-DD HH:mm:ss.SSS Z'`); wins over `time`. */
  readonly logDateFormat?: string
  /** `'json'` writes one `{ time, stream, name, id, message }` object per line. @default 'text' */
  readonly logType?: 'text' | 'json'
  /** No log files at all (lines still reach `logs()` and the events). @default false */
  readonly disableLogs?: boolean
  /** Size-based rotation of every log file of the app; `false` turns it off. @default { maxSize: '10M', maxFiles: 10 } */
  readonly rotate?: RotateOptions | boolean
  /**
   * Sockets tend binds before the first instance starts and holds until the
   * app is deleted: each instance gets them as fds 3, 4, … (`LISTEN_FDS`,
   * `LISTEN_FDNAMES`, `LISTEN_PID`, and `PORT` the first one's port), so
   * reloads and crashes never refuse a connection. Fork mode only. See
   * docs/zero-downtime.md.
   */
  readonly listen?: ListenSpec | readonly ListenSpec[]
  /** Health probes: startup, readiness and liveness. See docs/health-and-dependencies.md. */
  readonly probes?: ProbesSpec
  /**
   * Apps this one starts after, within one `start([...])`: names (each meaning `'ready'`), or names with
   * a condition. A stop or delete of the set goes the other way. See docs/health-and-dependencies.md.
   */
  readonly dependsOn?: readonly string[] | Readonly<Record<string, DependencyCondition>>
  /**
   * The app matters enough that `tend runtime` ends when it gives up: a
   * process of it `errored` (a crash loop, a spawn error, a readiness
   * timeout), or, with `autorestart: false`, it ended for good after a
   * failure (a crash, an unhealthy probe). The runtime stops the other apps
   * gracefully and exits 3, so the orchestrator restarts the container.
   * The library only carries the flag. See docs/deploy-systemd-kubernetes.md.
   * @default false
   */
  readonly critical?: boolean
  /**
   * The supervision group this app belongs to (declared in `SupervisorOptions.groups`, `defineGroups()` or an
   * ecosystem file's `groups`): its strategy decides what a crash of one member restarts. See
   * docs/health-and-dependencies.md.
   */
  readonly group?: string
}

/** What an app waits for in a dependency: spawned, ready (online), ended, or ended with code 0. */
export type DependencyCondition = 'started' | 'ready' | 'completed' | 'completedSuccessfully'

/** One socket of `listen`: a port (all interfaces), `'host:port'`, `'[v6]:port'`, or the long form. */
export type ListenSpec =
  | number
  | string
  | {
      /** 0 lets the OS pick a free port (see `ProcessInfo.sockets`). */
      readonly port: number
      /** An IP address or `'localhost'`. @default all interfaces (IPv6 and IPv4) */
      readonly host?: string
      /** Its name in `LISTEN_FDNAMES`. @default `port-<port>` */
      readonly name?: string
      /** The kernel's queue of connections not yet accepted. @default 511 */
      readonly backlog?: number
    }

/** A `listen` entry after validation. `host` null means all interfaces. */
export interface NormalizedListen {
  readonly host: string | null
  readonly port: number
  readonly name: string | null
  readonly backlog: number
}

/** A socket the supervisor holds for an app, as ProcessInfo shows it. */
export interface SocketInfo {
  /** Its name in `LISTEN_FDNAMES`. */
  readonly name: string
  /** The bound address: `'127.0.0.1'`, `'::'`, … */
  readonly host: string
  /** The bound port (the OS's pick when the spec said 0). */
  readonly port: number
  /** The fd the app finds it on: 3, 4, … */
  readonly fd: number
}

/** Built-in log rotation: rename-and-reopen when a file would grow past `maxSize`. */
export interface RotateOptions {
  /** Rotate before a write would take the live file past this size. @default '10M' */
  readonly maxSize?: Size
  /** How many rotated files (`<file>.1` newest … `<file>.N`) to keep; older ones are deleted. @default 10 */
  readonly maxFiles?: number
  /** Gzip rotated files (`<file>.1.gz`, …). @default false */
  readonly compress?: boolean
}

export interface NormalizedRotate {
  readonly maxSize: number
  readonly maxFiles: number
  readonly compress: boolean
}

/** A spec after defaults and validation: every field present, paths absolute. */
/** The log fields of a NormalizedSpec. */
export interface NormalizedLogOptions {
  /** Absolute path (before any `-<id>`), `false` when off, `null` for the default. */
  readonly outFile: string | false | null
  readonly errorFile: string | false | null
  readonly logFile: string | false | null
  readonly mergeLogs: boolean
  readonly time: boolean
  readonly logDateFormat: string | null
  readonly logType: 'text' | 'json'
  readonly disableLogs: boolean
  readonly rotate: NormalizedRotate | null
}

export interface NormalizedSpec extends NormalizedLogOptions {
  readonly name: string
  readonly script: string
  readonly args: readonly string[]
  /** The resolved command: an executable path or name, or `null` to run `script` itself. */
  readonly interpreter: string | null
  /** True when the interpreter is node: the child gets an IPC channel. */
  readonly isNode: boolean
  readonly interpreterArgs: readonly string[]
  readonly cwd: string
  readonly env: Readonly<Record<string, string>>
  readonly namespace: string
  readonly mode: Mode
  readonly instances: number
  readonly autostart: boolean
  readonly autorestart: boolean
  readonly stopExitCodes: readonly number[]
  readonly minUptime: number
  readonly maxRestarts: number
  readonly restartDelay: number
  readonly backoff: Backoff | false
  /** Bytes, or null for no limit. */
  readonly maxMemoryRestart: number | null
  readonly cronRestart: string | null
  /** Absolute paths to watch, or false. */
  readonly watch: readonly string[] | false
  /** Globs (relative to `cwd`) and names ignored besides `node_modules` and dot files. */
  readonly ignoreWatch: readonly string[]
  readonly watchDelay: number
  readonly killSignal: NodeJS.Signals
  readonly killTimeout: number
  readonly treekill: boolean
  readonly shutdownWithMessage: boolean
  readonly waitReady: boolean
  readonly listenTimeout: number
  readonly instanceVar: string
  readonly incrementVar: string | null
  /** The sockets tend holds for the app; [] for none. */
  readonly listen: readonly NormalizedListen[]
  /** Null when the spec has no probes. */
  readonly probes: NormalizedProbes | null
  readonly dependsOn: Readonly<Record<string, DependencyCondition>>
  readonly critical: boolean
  /** The app's supervision group, or null. */
  readonly group: string | null
}

/** Absolute paths of a process's log files, where it has any. */
export interface LogFiles {
  readonly out?: string
  readonly err?: string
  readonly combined?: string
}

/**
 * A plain snapshot of one process: its state, not its configuration (that is
 * in {@link ProcessDescription}, from `describe()`).
 */
export interface ProcessInfo {
  /** Unique within the Supervisor, never reused. */
  readonly id: number
  readonly name: string
  readonly namespace: string
  /** 0..instances-1 within the app. */
  readonly instance: number
  readonly mode: Mode
  /** The OS pid while running, else null. */
  readonly pid: number | null
  readonly status: Status
  /** Restarts since the app was started (any reason but an explicit restart of a stopped process). */
  readonly restarts: number
  /** Consecutive unstable exits so far (reset by a stable run or an explicit restart). */
  readonly unstableRestarts: number
  /** When the current (or last) run started, ms since the epoch. */
  readonly startedAt: number | null
  /** ms since `startedAt` while running, else 0. */
  readonly uptime: number
  /** The last exit's code and signal. */
  readonly exitCode: number | null
  readonly signal: NodeJS.Signals | null
  /** While `waiting-restart`: when the next start is due, ms since the epoch. */
  readonly nextRestartAt: number | null
  /** CPU use in percent of one core, from the last metrics sample. */
  readonly cpu: number
  /** Resident memory in bytes, from the last metrics sample. */
  readonly memory: number
  readonly logFiles: LogFiles
  /**
   * False while the process is online only because `listenTimeout` ran out
   * before its readiness signal (listening in cluster mode, `'ready'` with
   * `waitReady`); true otherwise. See docs/readiness.md.
   */
  readonly confirmedReady: boolean
  /** What its probes last found; only on apps with `probes`. */
  readonly health?: ProcessHealth
  /** Whether the app restarts on file changes (`watch` is on). */
  readonly watching: boolean
  /** The sockets tend holds for the app and hands to this process ([] for none). */
  readonly sockets: readonly SocketInfo[]
}

/**
 * What `describe()` returns: a {@link ProcessInfo} with its app's spec.
 *
 * `list()`, the events and the replies of `start`/`stop`/`scale`/`delete`…
 * carry `ProcessInfo` without the spec, so their size does not grow with
 * each app's environment times its instances (over RPC, 1,000 processes of
 * an app started from a shell's environment were over 1 MiB). Ask
 * `describe(target)` for the spec; the processes of one app share one spec
 * object.
 */
export interface ProcessDescription extends ProcessInfo {
  /** The spec, frozen, with secret-looking env values redacted. */
  readonly spec: NormalizedSpec
}

/** One line of output kept in the in-memory ring buffer. */
export interface LogLine {
  readonly id: number
  readonly name: string
  readonly stream: 'out' | 'err'
  readonly line: string
  readonly at: number
}

/** Which processes an operation acts on. */
export type Target = number | string | readonly (number | string)[]

export interface SupervisorOptions {
  /** Where logs and state go. None: no files unless a spec names them. */
  readonly home?: string
  /** Metrics sampling interval in ms; 0 turns sampling off. @default 1000 */
  readonly metricsInterval?: number
  /** Lines of output kept in memory per process for `logs()`. @default 1000 */
  readonly logBufferLines?: number
  /** The environment children inherit under their spec's `env`. @default process.env */
  readonly env?: Readonly<Record<string, string | undefined>>
  /** Supervision groups apps may name with `group` (more with `defineGroups()`). See docs/health-and-dependencies.md. */
  readonly groups?: Readonly<Record<string, GroupSpec>>
}

/** Options every async method accepts. */
export interface OperationOptions {
  readonly signal?: AbortSignal
}
