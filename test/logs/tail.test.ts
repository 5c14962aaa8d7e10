import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { tailLines } from '../../src/logs/tail.js'
import { tempDir } from '../helpers.js'

describe('tailLines', () => {
  it('reads the last lines of a big file from its end, a last line without newline included', async () => {
    const dir = tempDir()
    const path = join(dir, 'out.log')
    const lines = Array.from({ length: 50_000 }, (_, i) => `line ${i} ${'x'.repeat(i % 50)}`)
    writeFileSync(path, `${lines.join('\n')}\npartial`)
    expect(await tailLines(path, 3)).toEqual([lines.at(-2), lines.at(-1), 'partial'])
    expect(await tailLines(path, 5000)).toEqual([...lines.slice(-4999), 'partial'])
    expect(await tailLines(path, 0)).toEqual([])
  })

  it('continues into the newest rotated file when the live one holds fewer lines, and is empty for no file', async () => {
    const dir = tempDir()
    const path = join(dir, 'out.log')
    writeFileSync(`${path}.1`, 'a\nb\nc\n')
    writeFileSync(path, 'd\n')
    expect(await tailLines(path, 3)).toEqual(['b', 'c', 'd'])
    expect(await tailLines(join(dir, 'none.log'), 3)).toEqual([])
  })
})
