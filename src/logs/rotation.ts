/**
 * The file side of rotation: shifting `<file>.1` … `<file>.N` (and their
 * `.gz` forms) up by one, deleting what falls beyond `maxFiles`, and gzipping
 * a rotated file. The live file is renamed, never copied and truncated, so no
 * line written before the rename is lost and none is split.
 */
import { createReadStream, createWriteStream } from 'node:fs'
import { readdir, rename, unlink } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'
import { pipeline } from 'node:stream/promises'
import { createGzip } from 'node:zlib'

interface Rotated {
  readonly index: number
  readonly suffix: '' | '.gz'
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

/** The rotated files of `path` that exist, newest (lowest index) first. */
export async function rotatedFiles(path: string): Promise<Rotated[]> {
  const pattern = new RegExp(`^${escapeRegExp(basename(path))}\\.(\\d+)(\\.gz)?$`)
  const found: Rotated[] = []
  for (const name of await readdir(dirname(path))) {
    const match = pattern.exec(name)
    if (match) found.push({ index: Number(match[1]), suffix: match[2] === '.gz' ? '.gz' : '' })
  }
  return found.sort((a, b) => a.index - b.index)
}

function rotatedName(path: string, index: number, suffix: '' | '.gz'): string {
  return `${path}.${index}${suffix}`
}

/**
 * Makes room for a new `<file>.1`: deletes rotated files at `maxFiles` and
 * beyond, and renames the others to the next index, oldest first.
 */
export async function shiftRotated(path: string, maxFiles: number): Promise<void> {
  const files = await rotatedFiles(path)
  for (const file of files.reverse()) {
    const from = rotatedName(path, file.index, file.suffix)
    if (file.index >= maxFiles) await unlink(from).catch(ignoreMissing)
    else await rename(from, rotatedName(path, file.index + 1, file.suffix)).catch(ignoreMissing)
  }
}

/** Gzips `source` into `source.gz` (through a temporary name) and removes `source`. */
export async function compressFile(source: string): Promise<void> {
  const target = `${source}.gz`
  const temporary = join(dirname(source), `.${basename(source)}.gz.tmp`)
  try {
    await pipeline(createReadStream(source), createGzip(), createWriteStream(temporary))
    await rename(temporary, target)
    await unlink(source)
  } catch (error) {
    await unlink(temporary).catch(ignoreMissing)
    throw error
  }
}

function ignoreMissing(error: NodeJS.ErrnoException): void {
  if (error.code !== 'ENOENT') throw error
}
