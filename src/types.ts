/** Public types of tend: specs, process snapshots, events. */
import type { CrashLoopError, TendError } from './errors.js'

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

/**
 * What a group restarts when one of its members exits unexpectedly (Erlang/OTP's strategies): every member
 * (`one_for_all`), the failed member's app and the members after it (`rest_for_one`), or the failed process
 * alone, by its own restart policy (`one_for_one`).
 */
export type GroupStrategy = 'one_for_all' | 'rest_for_one' | 'one_for_one'

/** A supervision group: its strategy and its intensity (more than `maxRestarts` restarts within `period` gives up). */
export interface GroupSpec {
  /** @default 'one_for_all' */
  readonly strategy?: GroupStrategy
  /** Restarts of the group (crashes of its members) allowed within `period`; one more gives up. @default 5 */
  readonly maxRestarts?: number
  /** The sliding window `maxRestarts` counts in. @default '60s' */
  readonly period?: Duration
}

/** A group after validation: every field present, `period` in ms. */
export interface NormalizedGroup {
  readonly name: string
  readonly strategy: GroupStrategy
  readonly maxRestarts: number
  readonly period: number
}

/** A group as `groups()` reports it. */
export interface GroupInfo extends NormalizedGroup {
  /** Its member apps, in the order the strategy goes by (dependency order, then start order). */
  readonly apps: readonly string[]
  /** Restarts counted within the last `period`. */
  readonly recentRestarts: number
  /** `restarting` while a group restart is in flight; `errored` after it gave up, until a member starts again. */
  readonly status: 'running' | 'restarting' | 'errored'
}

/** What an app waits for in a dependency: spawned, ready (online), ended, or ended with code 0. */
export type DependencyCondition = 'started' | 'ready' | 'completed' | 'completedSuccessfully'

/** What one probe checks: an HTTP GET, a TCP connect, a command's exit code, or a line of output. */
export type ProbeCheckSpec =
  | {
      readonly http: {
        readonly path?: string
        readonly port?: number
        readonly host?: string
        readonly expectStatus?: number | readonly number[]
      }
    }
  | { readonly tcp: { readonly port?: number; readonly host?: string } }
  | { readonly exec: { readonly command: string; readonly args?: readonly string[] } }
  /** Passes once a line of stdout or stderr matches (startup and readiness only). */
  | { readonly logLine: string | RegExp }

/** One probe with its timing; defaults as Kubernetes: interval 10 s, timeout 1 s, failureThreshold 3, successThreshold 1. */
export type ProbeSpec = ProbeCheckSpec & {
  /** Wait before the first check. @default 0 */
  readonly initialDelay?: Duration
  /** @default '10s' */
  readonly interval?: Duration
  /** A check that takes longer fails. @default '1s' */
  readonly timeout?: Duration
  /** Consecutive failures that make the probe fail. @default 3 */
  readonly failureThreshold?: number
  /** Consecutive successes that make it pass again (readiness only; 1 for the others). @default 1 */
  readonly successThreshold?: number
}

export interface ProbesSpec {
  /** Gates the others; failing it stops the instance as an unstable start (then the restart policy decides). */
  readonly startup?: ProbeSpec
  /** The instance is `online` only once it passes; a later failure keeps it running with `health.ready: false`. */
  readonly readiness?: ProbeSpec
  /** `failureThreshold` consecutive failures restart the instance with reason `unhealthy`. */
  readonly liveness?: ProbeSpec
}

/** A probe's check after validation. */
export type NormalizedProbeCheck =
  | {
      readonly kind: 'http'
      readonly host: string
      readonly port: number | null
      readonly path: string
      readonly expectStatus: readonly number[] | null
    }
  | { readonly kind: 'tcp'; readonly host: string; readonly port: number | null }
  | { readonly kind: 'exec'; readonly command: string; readonly args: readonly string[] }
  | { readonly kind: 'logLine'; readonly pattern: RegExp }

export interface NormalizedProbe {
  readonly check: NormalizedProbeCheck
  readonly initialDelay: number
  readonly interval: number
  readonly timeout: number
  readonly failureThreshold: number
  readonly successThreshold: number
}

export interface NormalizedProbes {
  readonly startup: NormalizedProbe | null
  readonly readiness: NormalizedProbe | null
  readonly liveness: NormalizedProbe | null
}

/** What the probes of a process last found (`ProcessInfo.health`, on apps with probes). */
export interface ProcessHealth {
  readonly status: 'unknown' | 'healthy' | 'unhealthy'
  /** Passed its readiness probe (and is not failing it since); true without a readiness probe once started. */
  readonly ready: boolean
  /** The largest run of consecutive failures among the probes now running. */
  readonly consecutiveFailures: number
  /** ms since the epoch of the last check, or null before the first. */
  readonly lastCheckAt: number | null
  /** Why the last failed check failed, or null. */
  readonly lastError: string | null
}

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

// ---------------------------------------------------------------- events

export interface ProcessEvent {
  readonly process: ProcessInfo
  readonly at: number
}

export interface ProcessExitEvent extends ProcessEvent {
  readonly code: number | null
  readonly signal: NodeJS.Signals | null
  readonly reason: ExitReason
  /** True when the graceful stop did not end the process within `killTimeout`, so SIGKILL had to follow. */
  readonly forced: boolean
}

export interface ProcessRestartEvent extends ProcessEvent {
  /** ms until the new start; 0 when its supervision group restarts it (it starts as part of the group's restart). */
  readonly delay: number
  /** 1 for the first restart after a stable run, growing while it keeps crashing. */
  readonly attempt: number
  readonly reason: ExitReason
}

export interface ProcessErroredEvent extends ProcessEvent {
  /** Why it was given up: a CrashLoopError, SpawnError, ReadyTimeoutError… (over RPC, rebuilt as the same class). */
  readonly error: TendError
}

export interface ProcessMessageEvent extends ProcessEvent {
  readonly message: unknown
}

export interface ProcessExceptionEvent extends ProcessEvent {
  readonly error: { readonly name: string; readonly message: string; readonly stack?: string }
}

export interface ProcessWarningEvent extends ProcessEvent {
  readonly code: 'not-confirmed-ready'
  readonly message: string
}

export interface ProcessHealthEvent extends ProcessEvent {
  readonly health: ProcessHealth
}

/** A custom metric a process reported was dropped (a bad name or labels, or at odds with another process's). */
export interface ProcessMetricInvalidEvent extends ProcessEvent {
  /** The metric's name as the app gave it. */
  readonly metric: string
  readonly reason: string
}

/** A group strategy restarted apps after a member exited unexpectedly. */
export interface GroupRestartEvent {
  readonly group: string
  readonly strategy: GroupStrategy
  /** The process whose exit set it off, as it was at its exit (`pid`: the pid that exited). */
  readonly trigger: ProcessInfo
  /** Why it exited: `crash` or `unhealthy`. */
  readonly reason: ExitReason
  /** The apps restarted, in the order they start again. */
  readonly apps: readonly string[]
  readonly at: number
}

/** A group had more than `maxRestarts` restarts within `period` and gave up: its members are stopped. */
export interface GroupErroredEvent {
  readonly group: string
  /** Carries the group's name in `group`. */
  readonly error: CrashLoopError
  readonly at: number
}

export interface LogEvent {
  readonly process: ProcessInfo
  readonly line: string
  readonly at: number
}

export interface LogFileErrorEvent {
  readonly app: string
  readonly path: string
  readonly error: { readonly message: string; readonly code?: string }
  readonly at: number
}

export interface MetricsEvent {
  readonly at: number
  readonly processes: readonly { readonly id: number; readonly pid: number; readonly cpu: number; readonly memory: number }[]
}

/** Every event, by name. The same names and payloads go out on `sup.bus`. */
export interface SupervisorEvents {
  'process:spawn': (event: ProcessEvent) => void
  'process:online': (event: ProcessEvent) => void
  'process:exit': (event: ProcessExitEvent) => void
  'process:restart': (event: ProcessRestartEvent) => void
  'process:errored': (event: ProcessErroredEvent) => void
  'process:stopped': (event: ProcessEvent) => void
  'process:message': (event: ProcessMessageEvent) => void
  'process:exception': (event: ProcessExceptionEvent) => void
  /**
   * Something about a process worth a look that is no failure. `code`
   * `'not-confirmed-ready'`: it went online because `listenTimeout` ran out
   * before its readiness signal (docs/readiness.md).
   */
  'process:warning': (event: ProcessWarningEvent) => void
  /** The health status or readiness of a process with probes changed. */
  'process:health': (event: ProcessHealthEvent) => void
  /** Once per process run and metric name: the metric is left out of metrics() and prometheus(). */
  'process:metric-invalid': (event: ProcessMetricInvalidEvent) => void
  'log:out': (event: LogEvent) => void
  'log:err': (event: LogEvent) => void
  metrics: (event: MetricsEvent) => void
  /**
   * A log file stopped taking writes (disk full, its directory removed or made
   * read-only). The process keeps running and its lines stay in memory; the
   * file is reopened at the next write, and a new failure is reported again
   * only after a write has succeeded.
   */
  'logfile:error': (event: LogFileErrorEvent) => void
  /** A group's strategy restarted apps of the group (`one_for_all`, `rest_for_one`). */
  'group:restart': (event: GroupRestartEvent) => void
  /** A group gave up (its intensity was exceeded, or it could not be brought back); its members are stopped. */
  'group:errored': (event: GroupErroredEvent) => void
}

export type EventName = keyof SupervisorEvents
