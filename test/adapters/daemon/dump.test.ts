import { linkSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { readDump, writeDump } from '../../../src/adapters/daemon/dump.js'
import { DumpError } from '../../../src/rpc.js'
import { tempDir } from '../../helpers.js'

describe('dump.json', () => {
  it('is written 0600 through a temp file, keeping the previous dump as .bak', () => {
    const dir = tempDir()
    const path = join(dir, 'dump.json')
    writeDump(path, [{ name: 'a', script: 'a.js', env: { API_TOKEN: 'kept' } }])
    expect(statSync(path).mode & 0o777).toBe(0o600)
    expect(readDump(path).apps).toEqual([{ name: 'a', script: 'a.js', env: { API_TOKEN: 'kept' } }])
    writeDump(path, [{ name: 'b', script: 'b.js' }])
    expect(readDump(path).apps).toEqual([{ name: 'b', script: 'b.js' }])
    expect((JSON.parse(readFileSync(`${path}.bak`, 'utf8')) as { apps: unknown[] }).apps).toEqual([
      { name: 'a', script: 'a.js', env: { API_TOKEN: 'kept' } },
    ])
    expect(readdirSync(dir).sort()).toEqual(['dump.json', 'dump.json.bak'])
  })

  it('reads a missing dump as empty and names a damaged one', () => {
    const dir = tempDir()
    const path = join(dir, 'dump.json')
    expect(readDump(path).apps).toEqual([])
    writeFileSync(path, '{"apps": [')
    expect(() => readDump(path)).toThrow(DumpError)
    expect(() => readDump(path)).toThrow(`${path} is damaged: not valid JSON`)
  })

  it('leaves no temp file when the .bak is a link to dump.json (a save killed between its two renames)', () => {
    const dir = tempDir()
    const path = join(dir, 'dump.json')
    writeDump(path, [{ name: 'a', script: 'a.js' }])
    rmSync(`${path}.bak`, { force: true })
    linkSync(path, `${path}.bak`)
    writeDump(path, [{ name: 'b', script: 'b.js' }])
    expect(readdirSync(dir).sort()).toEqual(['dump.json', 'dump.json.bak'])
    expect(readDump(`${path}.bak`).apps).toEqual([{ name: 'a', script: 'a.js' }])
    expect(readDump(path).apps).toEqual([{ name: 'b', script: 'b.js' }])
  })
})
