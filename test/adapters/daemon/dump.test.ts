import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { readDump, writeDump } from '../../../src/adapters/daemon/dump.js'
import { InvalidSpecError } from '../../../src/index.js'
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
    expect(() => readDump(path)).toThrow(InvalidSpecError)
    expect(() => readDump(path)).toThrow(`${path} is not valid JSON`)
  })
})
