/**
 * The log side of a Supervisor: opens each process's files (sharing one
 * writer per path, so merged and combined files interleave whole lines),
 * captures a child's stdout and stderr into them, hands decoded lines to the
 * host (ring buffer, events), and flushes, reopens and closes the files.
 *
 * Capture hangs off any Readable (a forked child's pipe or a cluster
 * worker's), and its hot path is per read, not per line: one lastIndexOf to
 * frame, the block written as it came when no per-line transform is asked
 * for, one decode and split for the lines. When a file is behind (over its
 * highWaterMark) the child's pipe is paused, so a disk slower than the child
 * slows the child instead of growing memory.
 */
import type { Readable } from 'node:stream'
import { LogFileError } from '../errors.js'
import type { LogFiles, NormalizedSpec } from '../types.js'
import { blockFormatter } from './log-format.js'
import { LogFile } from './log-file.js'
import { logPaths } from './log-paths.js'
import { LineFramer, OutputBlock } from './line-framer.js'

export type OutputStream = 'out' | 'err'

export interface LoggedProcess {
  readonly id: number
  /** The instance index within its app: it names the default log files. */
  readonly instance: number
  readonly spec: NormalizedSpec
}

/** Receives each block, in order per stream, for the in-memory buffer and the events. */
export type OutputHandler<P> = (process: P, stream: OutputStream, block: OutputBlock) => void

/** A log file stopped taking writes (disk full, directory gone or read-only); the process keeps running. */
export type FileErrorHandler = (app: string, path: string, error: Error) => void

interface PooledFile {
  readonly opening: Promise<LogFile>
  file: LogFile | null
  users: number
}

interface ProcessFiles {
  readonly paths: LogFiles
  /** Paths this process holds a reference to in the pool. */
  readonly held: string[]
  readonly out: LogFile | null
  readonly err: LogFile | null
  readonly combined: LogFile | null
}

export class LogManager<P extends LoggedProcess> {
  readonly #home: string | undefined
  readonly #onOutput: OutputHandler<P>
  readonly #pool = new Map<string, PooledFile>()
  readonly #processes = new Map<number, ProcessFiles>()

  readonly #onFileError: FileErrorHandler

  constructor(home: string | undefined, onOutput: OutputHandler<P>, onFileError: FileErrorHandler = () => undefined) {
    this.#home = home
    this.#onOutput = onOutput
    this.#onFileError = onFileError
  }

  /**
   * Opens the files of these processes (creating directories). Rejects with
   * LogFileError, having opened nothing, when one cannot be opened.
   */
  async attach(processes: readonly P[]): Promise<void> {
    const attached: number[] = []
    try {
      for (const process of processes) {
        if (this.#processes.has(process.id)) continue
        const paths = logPaths(process.spec, process.instance, this.#home)
        const files = { paths, held: [], out: null, err: null, combined: null } as { -readonly [K in keyof ProcessFiles]: ProcessFiles[K] }
        this.#processes.set(process.id, files)
        attached.push(process.id)
        for (const kind of ['out', 'err', 'combined'] as const) {
          const path = paths[kind]
          if (path === undefined) continue
          files[kind] = await this.#acquire(path, process.spec)
          files.held.push(path)
        }
      }
    } catch (error) {
      await Promise.all(attached.map((id) => this.detach(id)))
      throw error
    }
  }

  /** Absolute paths of a process's files. */
  filesOf(id: number): LogFiles {
    return this.#processes.get(id)?.paths ?? {}
  }

  /** Captures one output stream of a run of `process` until it ends. */
  capture(process: P, stream: OutputStream, readable: Readable): void {
    const files = this.#processes.get(process.id)
    const targets = [stream === 'out' ? files?.out : files?.err, files?.combined].filter((file): file is LogFile => !!file)
    const format = blockFormatter(process.spec, process.id, stream, process.instance)
    const framer = new LineFramer()
    let waiting = 0
    const resume = (): void => {
      if (--waiting === 0) readable.resume()
    }
    const onBlock = (bytes: Buffer): void => {
      const block = new OutputBlock(bytes, Date.now())
      if (targets.length > 0) {
        const data = format(block)
        for (const file of targets) {
          if (file.writable && !file.write(data)) {
            waiting++
            file.whenDrained(resume)
          }
        }
        if (waiting > 0) readable.pause()
      }
      this.#onOutput(process, stream, block)
    }
    readable.on('data', (chunk: Buffer) => {
      const block = framer.push(chunk)
      if (block) onBlock(block)
    })
    let ended = false
    const end = (): void => {
      if (ended) return
      ended = true
      const block = framer.end()
      if (block) onBlock(block)
    }
    readable.once('end', end)
    readable.once('close', end)
    readable.on('error', end)
  }

  /** Resolves once everything these processes wrote so far is in their files. */
  async settle(ids: Iterable<number>): Promise<void> {
    await Promise.all(this.#filesOfIds(ids).map((file) => file.settled()))
  }

  /** Empties the files of these processes. */
  async truncate(ids: Iterable<number>): Promise<void> {
    await Promise.all(this.#filesOfIds(ids).map((file) => file.truncate()))
  }

  /** Reopens every open file by its path (after an external logrotate moved them). */
  async reopen(): Promise<void> {
    await Promise.all([...this.#pool.values()].map(async (entry) => (await entry.opening.catch(() => null))?.reopen()))
  }

  /** Closes the files of a process that no other process shares. */
  async detach(id: number): Promise<void> {
    const files = this.#processes.get(id)
    if (!files) return
    this.#processes.delete(id)
    await Promise.all(files.held.map((path) => this.#release(path)))
  }

  /** Writes out and closes every file. */
  async close(): Promise<void> {
    await Promise.all([...this.#processes.keys()].map((id) => this.detach(id)))
  }

  #filesOfIds(ids: Iterable<number>): LogFile[] {
    const files = new Set<LogFile>()
    for (const id of ids) {
      const entry = this.#processes.get(id)
      for (const file of [entry?.out, entry?.err, entry?.combined]) if (file) files.add(file)
    }
    return [...files]
  }

  async #acquire(path: string, spec: NormalizedSpec): Promise<LogFile> {
    let entry = this.#pool.get(path)
    if (!entry) {
      const app = spec.name
      const opening = LogFile.open(path, spec.rotate, (error) => this.#onFileError(app, path, error)).catch((error: unknown) => {
        this.#pool.delete(path)
        throw new LogFileError(spec.name, path, error)
      })
      entry = { opening, file: null, users: 0 }
      this.#pool.set(path, entry)
    }
    entry.users++
    try {
      return (entry.file = await entry.opening)
    } catch (error) {
      entry.users--
      throw error
    }
  }

  async #release(path: string): Promise<void> {
    const entry = this.#pool.get(path)
    if (!entry || --entry.users > 0) return
    this.#pool.delete(path)
    const file = await entry.opening.catch(() => null)
    if (!file) return
    await new Promise<void>((resolve) => {
      file.end(() => resolve())
      file.once('error', () => resolve())
    })
  }
}
