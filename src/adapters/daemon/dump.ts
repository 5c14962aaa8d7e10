/**
 * The dump of saved app specs (TEND_HOME/dump.json): written atomically
 * (temp file, fsync, rename) with the previous one kept as `.bak`, mode 0600
 * because it holds the apps' environments, secrets included.
 */
import { closeSync, copyFileSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'
import { InvalidSpecError } from '../../errors.js'
import type { AppSpec } from '../../types.js'
import { VERSION } from '../../version.js'

export interface Dump {
  readonly version: string
  readonly savedAt: string
  readonly apps: readonly AppSpec[]
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

/** Writes the dump atomically; the old one (if any) becomes `<path>.bak`. */
export function writeDump(path: string, apps: readonly AppSpec[]): Dump {
  const dump: Dump = { version: VERSION, savedAt: new Date().toISOString(), apps }
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`)
  const fd = openSync(temp, 'w', 0o600)
  try {
    writeSync(fd, `${JSON.stringify(dump, null, 2)}\n`)
    fsyncSync(fd)
  } catch (error) {
    closeSync(fd)
    rmSync(temp, { force: true })
    throw error
  }
  closeSync(fd)
  if (existsSync(path)) copyFileSync(path, `${path}.bak`)
  renameSync(temp, path)
  fsyncDir(dirname(path))
  return dump
}

/** Reads a dump; a missing file is an empty dump, a damaged one an error naming the file. */
export function readDump(path: string): Dump {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { version: VERSION, savedAt: '', apps: [] }
    throw error
  }
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch (error) {
    throw new InvalidSpecError(`${path} is not valid JSON (${(error as Error).message}); the previous dump is ${path}.bak`)
  }
  const apps = (parsed as { apps?: unknown } | null)?.apps
  if (!Array.isArray(apps)) throw new InvalidSpecError(`${path} has no "apps" array`)
  const { version, savedAt } = parsed as { version?: unknown; savedAt?: unknown }
  return { version: typeof version === 'string' ? version : '', savedAt: typeof savedAt === 'string' ? savedAt : '', apps: apps as AppSpec[] }
}
