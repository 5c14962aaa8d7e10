import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import * as tend from '../src/index.js'
import { ERROR_CODES, TendError } from '../src/index.js'

const doc = readFileSync(new URL('../docs/errors.md', import.meta.url), 'utf8')

describe('docs/errors.md', () => {
  it('lists every error code, and no code the library lacks', () => {
    const documented = new Set(doc.match(/TEND_ERR_[A-Z_]+/g))
    expect([...documented].sort()).toEqual([...ERROR_CODES].sort())
  })

  it('names the class of every code, and each exported class carries that code', () => {
    const samples: TendError[] = [
      new tend.InvalidSpecError('bad', { option: 'x' }),
      new tend.InvalidArgumentError('lines', 'bad'),
      new tend.NotFoundError('nope'),
      new tend.ExistsError('api'),
      new tend.SpawnError('api', 'node', new Error('ENOENT')),
      new tend.ReadyTimeoutError('api', 1, 3000),
      new tend.DependencyError(['api', 'db'], 'failed: it crashed'),
      new tend.CrashLoopError('api', 1, { restarts: 16, exitCode: 1, signal: null }),
      new tend.ExitedError('api', 1, 0, null),
      new tend.NoIpcError(1, 'api'),
      new tend.ClosedError(),
      new tend.LogFileError('api', '/x/out.log', new Error('EACCES')),
      new tend.ActionUnknownError({ action: 'flush', app: 'api', id: 1 }),
      new tend.ActionTimeoutError({ action: 'flush', app: 'api', id: 1, timeout: 100 }),
      new tend.ActionFailedError({ action: 'flush', app: 'api', id: 1, reason: 'TypeError', message: 'no' }),
      new tend.ListenError('api', '127.0.0.1:3000', { reason: 'in-use', errno: 'EADDRINUSE', holder: { pid: 1, command: 'node' } }),
    ]
    const exported = Object.values(tend).filter((value) => typeof value === 'function' && value.prototype instanceof TendError)
    expect(samples.map((error) => error.constructor).sort()).toEqual(exported.sort())
    for (const error of samples) {
      const row = doc.split('\n').find((line) => line.startsWith('|') && line.includes(`\`${error.constructor.name}\``))
      expect(row, `a row for ${error.constructor.name}`).toBeDefined()
      expect(row).toContain(`\`${error.code}\``)
      expect(error.name).toBe(error.constructor.name)
    }
  })
})
