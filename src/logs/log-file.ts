/**
 * One open log file: a Writable that appends whole-line blocks in order,
 * rotates by rename-and-reopen before a write would take the file past
 * `maxSize`, and can be truncated or reopened (for an external logrotate)
 * in turn with the writes. Its highWaterMark is what backpressure is measured
 * against: while `write()` returns false the capture pauses the child's pipe.
 *
 * Why not rotating-file-stream: it rotates after a write has taken the file
 * past its size, tracks `maxFiles` in an extra history file, and has no way
 * to truncate or reopen in turn with the writes. This writer is small and
 * does exactly what tend promises.
 */
import { mkdir, open, rename, unlink, type FileHandle } from 'node:fs/promises'
import { dirname } from 'node:path'
import { Writable } from 'node:stream'
import { debuglog } from 'node:util'
import type { NormalizedRotate } from '../types.js'
import { compressFile, shiftRotated } from './rotation.js'

const debug = debuglog('tend')

/** Bytes buffered before `write()` asks the writer to wait. */
export const LOG_FILE_HIGH_WATER_MARK = 256 * 1024

export class LogFile extends Writable {
  readonly path: string
  readonly #rotate: NormalizedRotate | null
  #handle: FileHandle | null
  #size: number
  /** File operations (writes, rotation, truncate, reopen, close), one after another. */
  #operations: Promise<void> = Promise.resolve()
  #compressing: Promise<void> | null = null
  #drainWaiters: (() => void)[] = []
  /** Zero-length marker chunks standing for truncate/reopen, so they run in turn with the writes queued before them. */
  #controls: Map<Buffer, () => Promise<void>> | null = null
  /** Told once when writing starts failing, and not again until a write has succeeded. */
  readonly #onError: ((error: Error) => void) | undefined
  #failing = false

  /** Opens (creating its directory) `path` for appending. Rejects with the fs error when it cannot. */
  static async open(path: string, rotate: NormalizedRotate | null, onError?: (error: Error) => void): Promise<LogFile> {
    const handle = await openForAppend(path)
    try {
      const { size } = await handle.stat()
      return new LogFile(path, handle, size, rotate, onError)
    } catch (error) {
      await handle.close()
      throw error
    }
  }

  private constructor(path: string, handle: FileHandle, size: number, rotate: NormalizedRotate | null, onError?: (error: Error) => void) {
    super({ highWaterMark: LOG_FILE_HIGH_WATER_MARK, decodeStrings: true })
    this.#onError = onError
    this.path = path
    this.#handle = handle
    this.#size = size
    this.#rotate = rotate
    this.on('drain', () => {
      const waiters = this.#drainWaiters
      this.#drainWaiters = []
      for (const wake of waiters) wake()
    })
  }

  /** Calls `wake` once the buffered bytes are written (at once when closed). */
  whenDrained(wake: () => void): void {
    if (this.destroyed || this.writableEnded) wake()
    else this.#drainWaiters.push(wake)
  }

  /** Resolves once everything written so far is in the file. */
  settled(): Promise<void> {
    if (this.destroyed || this.writableEnded) return this.#operations
    return new Promise((resolve) => this.write(Buffer.alloc(0), () => resolve()))
  }

  /** Empties the file, after the writes queued before. */
  truncate(): Promise<void> {
    return this.#inTurn(async () => {
      await this.#ensureOpen()
      await this.#handle!.truncate(0)
      this.#size = 0
    })
  }

  /** Closes and opens the path again, after the writes queued before: when an external tool moved the file away, writing goes on in a new one. */
  reopen(): Promise<void> {
    return this.#inTurn(async () => {
      await this.#closeHandle()
      await this.#ensureOpen()
    })
  }

  #inTurn(operation: () => Promise<void>): Promise<void> {
    if (this.destroyed || this.writableEnded) return this.#serially(operation)
    return new Promise((resolve, reject) => {
      const marker = Buffer.alloc(0)
      ;(this.#controls ??= new Map()).set(marker, () => operation().then(resolve, reject))
      this.write(marker)
    })
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    void this.#serially(() => this.#append([chunk])).then(() => callback())
  }

  override _writev(chunks: { chunk: Buffer }[], callback: (error?: Error | null) => void): void {
    void this.#serially(() => this.#append(chunks.map((entry) => entry.chunk))).then(() => callback())
  }

  override _final(callback: (error?: Error | null) => void): void {
    void this.#serially(async () => {
      await this.#compressing
      await this.#closeHandle()
    }).then(() => callback())
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    const waiters = this.#drainWaiters
    this.#drainWaiters = []
    for (const wake of waiters) wake()
    void this.#serially(() => this.#closeHandle()).then(() => callback(error))
  }

  /** Runs `operation` after every earlier one; a failure is reported (see #failed), never thrown. */
  #serially(operation: () => Promise<void>): Promise<void> {
    const run = this.#operations.then(operation).catch((error: unknown) => this.#failed(error))
    this.#operations = run
    return run
  }

  /**
   * A write or rotation failed (disk full, the directory removed…): report it
   * to the debug log and close the handle, so the next write opens the file
   * again. Never an 'error' on the stream, which would end the child's output
   * in this file for good.
   */
  async #failed(error: unknown): Promise<void> {
    debug('log file %s: %s', this.path, (error as Error).message)
    if (!this.#failing) {
      this.#failing = true
      this.#onError?.(error as Error)
    }
    await this.#closeHandle().catch(() => undefined)
  }

  async #append(chunks: Buffer[]): Promise<void> {
    const limit = this.#rotate?.maxSize ?? Infinity
    let group: Buffer[] = []
    let groupBytes = 0
    const flush = async (): Promise<void> => {
      await this.#writeAll(group, groupBytes).catch((error: unknown) => this.#failed(error))
      group = []
      groupBytes = 0
    }
    for (const chunk of chunks) {
      if (chunk.length === 0) {
        const control = this.#controls?.get(chunk)
        if (control) {
          this.#controls!.delete(chunk)
          await flush()
          await control()
        }
        continue
      }
      const before = this.#size + groupBytes
      if (before > 0 && before + chunk.length > limit) {
        await flush()
        await this.#rotateNow().catch((error: unknown) => this.#failed(error))
      }
      group.push(chunk)
      groupBytes += chunk.length
    }
    await flush()
  }

  async #writeAll(buffers: Buffer[], bytes: number): Promise<void> {
    if (bytes === 0) return
    await this.#ensureOpen()
    let remaining = buffers
    let left = bytes
    while (left > 0) {
      const { bytesWritten } = await this.#handle!.writev(remaining)
      this.#size += bytesWritten
      left -= bytesWritten
      if (left > 0) remaining = skipBytes(remaining, bytesWritten)
    }
    this.#failing = false
  }

  async #rotateNow(): Promise<void> {
    const rotate = this.#rotate!
    await this.#compressing
    await this.#closeHandle()
    if (rotate.maxFiles === 0) {
      await unlink(this.path)
    } else {
      await shiftRotated(this.path, rotate.maxFiles)
      await rename(this.path, `${this.path}.1`)
    }
    await this.#ensureOpen()
    if (rotate.compress && rotate.maxFiles > 0) {
      this.#compressing = compressFile(`${this.path}.1`)
        .catch((error: Error) => debug('log file %s: compressing failed: %s', this.path, error.message))
        .finally(() => (this.#compressing = null))
    }
  }

  async #ensureOpen(): Promise<void> {
    if (this.#handle) return
    this.#handle = await openForAppend(this.path)
    this.#size = (await this.#handle.stat()).size
  }

  async #closeHandle(): Promise<void> {
    const handle = this.#handle
    this.#handle = null
    await handle?.close()
  }
}

async function openForAppend(path: string): Promise<FileHandle> {
  // EEXIST: something that is not a directory is in the way; open() then says what (ENOTDIR)
  await mkdir(dirname(path), { recursive: true }).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'EEXIST') throw error
  })
  return open(path, 'a')
}

function skipBytes(buffers: Buffer[], count: number): Buffer[] {
  const out: Buffer[] = []
  let skip = count
  for (const buffer of buffers) {
    if (skip >= buffer.length) {
      skip -= buffer.length
      continue
    }
    out.push(skip > 0 ? buffer.subarray(skip) : buffer)
    skip = 0
  }
  return out
}
