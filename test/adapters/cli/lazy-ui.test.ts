/**
 * Ink and React (monit) load only for `tend monit`: not for `import 'tendjs'`,
 * `tendjs/rpc`, or any other verb. Each case runs in a fresh node that
 * records every module it loads (ESM by a resolve hook, CommonJS from
 * require.cache); the last case proves the recorder sees Ink when it is loaded.
 */
import { execFile } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'
import { fixture, tempDir } from '../../helpers.js'
import { cliEntry } from './cli-helpers.js'

const root = fileURLToPath(new URL('../../../', import.meta.url))
const tsx = import.meta.resolve('tsx')
const UI = /\/node_modules\/(ink|react|react-reconciler|yoga-layout)\//

async function loaded(args: readonly string[]): Promise<string[]> {
  const file = join(tempDir(), 'imports.txt')
  await promisify(execFile)(process.execPath, ['--import', tsx, '--import', fixture('record-imports.mjs'), ...args], {
    cwd: root,
    env: { ...process.env, TEND_IMPORTS_FILE: file, TEND_HOME: '/nonexistent-tend-home' },
  })
  return readFileSync(file, 'utf8').split('\n').filter(Boolean)
}

describe('the terminal UI loads only for tend monit', { timeout: 120_000 }, () => {
  it.each([
    ['tend ls --help', [cliEntry, 'ls', '--help']],
    ['tend dashboard --help', [cliEntry, 'dashboard', '--help']],
    ['tend --help', [cliEntry, '--help']],
    ["import 'tendjs' and 'tendjs/rpc'", [fixture('import-modules.mjs'), 'src/index.ts', 'src/rpc.ts']],
  ])('%s loads neither Ink nor React', async (_name, args) => {
    const modules = await loaded(args)
    expect(modules.some((url) => url.includes('/src/'))).toBe(true)
    expect(modules.filter((url) => UI.test(url))).toEqual([])
  })

  it('the check sees them when they are loaded (the monit screen module)', async () => {
    const modules = await loaded([fixture('import-modules.mjs'), 'src/adapters/monit/run.tsx'])
    expect(modules.some((url) => /\/node_modules\/ink\//.test(url))).toBe(true)
    expect(modules.some((url) => /\/node_modules\/react\//.test(url))).toBe(true)
  })
})
