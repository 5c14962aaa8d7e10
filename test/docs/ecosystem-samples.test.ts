/**
 * Ecosystem files shown in README.md and docs/*.md (js, json or yaml blocks
 * with `apps`) load through tend's own loader with no warning: a PM2 key the
 * docs show is one tend knows.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { loadEcosystem } from '../../src/ecosystem/load.js'
import { codeBlocks, docPages } from './doc-files.js'

const EXTENSIONS: Record<string, string> = {
  js: '.cjs',
  cjs: '.cjs',
  mjs: '.mjs',
  json: '.json',
  json5: '.json5',
  yaml: '.yaml',
  yml: '.yaml',
}

const ecosystems = docPages()
  .flatMap(codeBlocks)
  .filter(
    (block) => EXTENSIONS[block.lang] !== undefined && !block.flags.includes('no-run') && /(^|[\s{,])["']?apps["']?\s*:/m.test(block.code),
  )

describe('ecosystem files in the docs', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tend-doc-ecosystem-'))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('finds at least one', () => {
    expect(ecosystems.length).toBeGreaterThan(0)
  })

  ecosystems.forEach((block, i) => {
    it(`${block.page}:${block.line} (${block.lang}) loads without warnings`, async () => {
      const ext = block.lang === 'js' && /\bexport default\b/.test(block.code) ? '.mjs' : EXTENSIONS[block.lang]!
      const file = join(dir, `ecosystem-${i}.config${ext}`)
      writeFileSync(file, block.code)
      const loaded = await loadEcosystem(file)
      expect(loaded.apps.length).toBeGreaterThan(0)
      expect(loaded.warnings).toEqual([])
    })
  })
})
