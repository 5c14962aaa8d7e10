/**
 * The dump of saved app specs (TEND_HOME/dump.json): written atomically
 * (temp file, fsync, rename) with the previous one kept as `.bak`, mode 0600
 * because it holds the apps' environments, secrets included. A SIGKILL at
 * any point of `writeDump` leaves dump.json and dump.json.bak each whole:
 * the old content or the new, never a mix.
 */
import {
  closeSync,
  copyFileSync,
  existsSync,
  fsyncSync,
  linkSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeSync,
} from 'node:fs'
import { basename, dirname, join } from 'node:path'
import { DumpError } from '../../errors.js'
import type { AppSpec, GroupSpec } from '../../types.js'
import { VERSION } from '../../version.js'
import { isAlive } from '../../runners/process-group.js'

export interface Dump {
  readonly version: string
  readonly savedAt: string
  readonly apps: readonly AppSpec[]
  /** The supervision groups declared when it was saved ({} in a dump from before groups). */
  readonly groups: Readonly<Record<string, GroupSpec>>
}

function fsyncDir(dir: string): void {
  let fd: number | undefined
  try {
    fd = openSync(dir, 'r')
    fsyncSync(fd)
  } catch {
    // not every platform can fsync a directory; the rename is still atomic
  } finally {
    if (fd !== undefined) closeSync(fd)
  }
}

/** Temp files a writer killed mid-save left behind (they may hold secrets: do not let them pile up). */
function removeStaleTemps(dir: string, base: string): void {
  const temp = /^\.(.+?)(?:\.bak)?\.(\d+)\.tmp$/
  for (const name of readdirSync(dir)) {
    const match = temp.exec(name)
    if (!match || match[1] !== base) continue
    const pid = Number(match[2])
    if (pid !== process.pid && !isAlive(pid)) rmSync(join(dir, name), { force: true })
  }
}

/** Is there a dump at `path` that reads as one? Only such a dump may replace the `.bak`. */
function isReadable(path: string): boolean {
  if (!existsSync(path)) return false
  try {
    readDump(path)
    return true
  } catch {
    return false
  }
}

/**
 * Writes the dump atomically. The old one, if it reads as a dump, becomes
 * `<path>.bak` (by a hard link renamed into place, so the `.bak` is never
 * half-written either); a damaged dump.json never pushes out a good `.bak`.
 * A save that cannot be written (a full disk, no descriptors left) is a
 * DumpError naming the cause, and leaves dump.json and its `.bak` as they were.
 */
export function writeDump(path: string, apps: readonly AppSpec[], groups: Readonly<Record<string, GroupSpec>> = {}): Dump {
  const dump: Dump = { version: VERSION, savedAt: new Date().toISOString(), apps, groups }
  const dir = dirname(path)
  const base = basename(path)
  const temp = join(dir, `.${base}.${process.pid}.tmp`)
  try {
    writeWhole(temp, Buffer.from(`${JSON.stringify(dump, null, 2)}\n`))
  } catch (error) {
    rmSync(temp, { force: true })
    const reason = (error as Error).message
    throw new DumpError(path, `Cannot save to ${path}: ${reason}; the previous dump (if any) is untouched`, { cause: error })
  }
  try {
    keepBackup(path, dir, base)
  } catch (error) {
    rmSync(temp, { force: true })
    throw new DumpError(path, `Cannot keep ${path}.bak: ${(error as Error).message}; the previous dump is untouched`, { cause: error })
  }
  renameSync(temp, path)
  fsyncDir(dir)
  removeStaleTemps(dir, base)
  return dump
}

/** Writes every byte and fsyncs: a write that takes only part (a disk filling up) goes on until it fails. */
function writeWhole(file: string, bytes: Buffer): void {
  const fd = openSync(file, 'w', 0o600)
  try {
    for (let written = 0; written < bytes.length;) written += writeSync(fd, bytes, written)
    fsyncSync(fd)
  } finally {
    closeSync(fd)
  }
}

/** The dump there now, if it reads as one, becomes `<path>.bak`. */
function keepBackup(path: string, dir: string, base: string): void {
  if (isReadable(path)) {
    const backupTemp = join(dir, `.${base}.bak.${process.pid}.tmp`)
    rmSync(backupTemp, { force: true })
    try {
      linkSync(path, backupTemp)
    } catch {
      try {
        copyFileSync(path, backupTemp) // a file system without hard links
      } catch (error) {
        rmSync(backupTemp, { force: true })
        throw error
      }
    }
    renameSync(backupTemp, `${path}.bak`)
    // rename() does nothing when both names are links to one file (a save killed
    // between its two renames leaves .bak linked to dump.json): drop the temp name.
    rmSync(backupTemp, { force: true })
  }
}

/** Reads a dump; a missing file is an empty dump, a damaged one a DumpError naming the file and its `.bak`. */
export function readDump(path: string): Dump {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { version: VERSION, savedAt: '', apps: [], groups: {} }
    throw new DumpError(path, `Cannot read ${path}: ${(error as Error).message}`, { cause: error })
  }
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch (error) {
    throw new DumpError(
      path,
      `${path} is damaged: not valid JSON (${(error as Error).message}); the dump before the last save is ${path}.bak`,
      {
        cause: error,
      },
    )
  }
  const apps = (parsed as { apps?: unknown } | null)?.apps
  if (!Array.isArray(apps)) throw new DumpError(path, `${path} is damaged: no "apps" array; the dump before the last save is ${path}.bak`)
  const { version, savedAt, groups } = parsed as { version?: unknown; savedAt?: unknown; groups?: unknown }
  return {
    version: typeof version === 'string' ? version : '',
    savedAt: typeof savedAt === 'string' ? savedAt : '',
    apps: apps as AppSpec[],
    // checked by defineGroups() at resurrect, as the apps are by start()
    groups: groups !== null && typeof groups === 'object' && !Array.isArray(groups) ? (groups as Record<string, GroupSpec>) : {},
  }
}
