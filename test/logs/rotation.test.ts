import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { gunzipSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { nextEvent, supervisor, tempDir, fixture } from '../helpers.js'
import { expectSequences, linesOf } from './log-check.js'

const MAX_SIZE = 256 * 1024
const LINES = 20_000 // about 2 MiB: 8 rotations at 256 KiB

describe('rotation', () => {
  it.each([
    { maxFiles: 3, compress: false, rotated: ['out.log.1', 'out.log.2', 'out.log.3'] },
    { maxFiles: 2, compress: true, rotated: ['out.log.1.gz', 'out.log.2.gz'] },
    { maxFiles: 0, compress: false, rotated: [] },
  ])(
    'keeps every line of a fast writer across the files, deletes beyond maxFiles ($maxFiles, compress $compress)',
    async ({ maxFiles, compress, rotated }) => {
      const dir = tempDir()
      const sup = supervisor()
      const exited = nextEvent(sup, 'process:exit', () => true, 60_000)
      await sup.start({
        name: 'rot',
        script: fixture('write-lines.cjs'),
        args: [String(LINES), 'r', 'out', 'partial'],
        autorestart: false,
        outFile: join(dir, 'out.log'),
        errorFile: false,
        rotate: { maxSize: MAX_SIZE, maxFiles, compress },
      })
      await exited
      await sup.close() // writes out, and waits for compression in progress
      expect(readdirSync(dir).sort()).toEqual(['out.log', ...rotated])
      const texts = [...rotated].reverse().map((name) => {
        const bytes = readFileSync(join(dir, name))
        return (name.endsWith('.gz') ? gunzipSync(bytes) : bytes).toString('utf8')
      })
      texts.push(readFileSync(join(dir, 'out.log'), 'utf8'))
      for (const text of texts) {
        // a rotation never splits a line, and happens before a write would pass maxSize
        expect(text.endsWith('\n')).toBe(true)
        expect(Buffer.byteLength(text)).toBeLessThanOrEqual(MAX_SIZE)
      }
      for (const name of rotated.filter((name) => !name.endsWith('.gz')))
        expect(statSync(join(dir, name)).size).toBeGreaterThan(MAX_SIZE / 2)
      const lines = texts.flatMap((text) => linesOf(text))
      expect(lines.pop()).toBe('r tail-without-newline')
      // contiguous up to the last line written: nothing lost at a rotation, the oldest files deleted
      const [count] = expectSequences(lines).values()
      const last = lines.at(-1)!.split(' ')[2]
      expect(last).toBe(String(LINES - 1))
      expect(count).toBeLessThan(LINES)
      expect(count).toBeGreaterThan((maxFiles * MAX_SIZE) / 2 / 100)
    },
  )
})
