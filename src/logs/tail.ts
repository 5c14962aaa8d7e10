/**
 * The last lines of a log file, read from its end (a 1 GiB file costs what
 * its tail costs), continued into the newest rotated file (`<path>.1`) when
 * the live one, just rotated, holds fewer lines than asked for.
 */
import { existsSync } from 'node:fs'
import { open } from 'node:fs/promises'

const CHUNK = 64 * 1024

/** The last `count` lines of one file (a last line without its newline counts), oldest first; [] when it does not exist. */
async function tailOf(path: string, count: number): Promise<string[]> {
  if (count <= 0) return []
  let handle
  try {
    handle = await open(path, 'r')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return []
    throw error
  }
  try {
    const { size } = await handle.stat()
    let position = size
    let chunks: Buffer[] = []
    let newlines = 0
    // Read backwards until the text holds count + 1 line breaks (or the file's start).
    while (position > 0 && newlines <= count) {
      const length = Math.min(CHUNK, position)
      position -= length
      const buffer = Buffer.alloc(length)
      await handle.read(buffer, 0, length, position)
      for (const byte of buffer) if (byte === 0x0a) newlines++
      chunks = [buffer, ...chunks]
    }
    const text = Buffer.concat(chunks).toString('utf8')
    const lines = text.split('\n')
    if (lines.at(-1) === '') lines.pop()
    // A line cut by the chunk boundary is not whole: drop it unless the read reached the file's start.
    if (position > 0) lines.shift()
    return lines.slice(-count)
  } finally {
    await handle.close()
  }
}

/** The last `count` lines of a log file and, when it has fewer, of its newest rotated file before them. */
export async function tailLines(path: string, count: number): Promise<string[]> {
  const live = await tailOf(path, count)
  if (live.length >= count || !existsSync(`${path}.1`)) return live
  return [...(await tailOf(`${path}.1`, count - live.length)), ...live]
}
