import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { InvalidSpecError } from '../../src/index.js'
import { normalizeSpec } from '../../src/config/normalize.js'
import { fixturesDir } from '../helpers.js'

const context = { env: process.env, baseCwd: fixturesDir }
const base = { script: 'long-running.cjs' }

function rejection(extra: Record<string, unknown>): InvalidSpecError {
  try {
    normalizeSpec({ ...base, ...extra }, context)
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidSpecError)
    return error as InvalidSpecError
  }
  throw new Error(`expected ${JSON.stringify(extra)} to be rejected`)
}

describe('restart policy and trigger options', () => {
  it('defaults: no backoff, no memory limit, no cron, no watch, watchDelay 1000', () => {
    expect(normalizeSpec(base, context)).toMatchObject({
      backoff: false,
      maxMemoryRestart: null,
      cronRestart: null,
      watch: false,
      ignoreWatch: [],
      watchDelay: 1000,
    })
  })

  it.each<[string, unknown, unknown]>([
    ['true takes every default', true, { initialDelay: 100, factor: 1.5, maxDelay: 15000, resetAfter: 30000, jitter: false }],
    ['false is off', false, false],
    [
      'a partial object fills in the rest, with units',
      { maxDelay: '1m', factor: 2 },
      { initialDelay: 100, factor: 2, maxDelay: 60000, resetAfter: 30000, jitter: false },
    ],
  ])('backoff: %s', (_name, backoff, expected) => {
    expect(normalizeSpec({ ...base, backoff }, context).backoff).toEqual(expected)
  })

  it.each<[Record<string, unknown>, string, RegExp]>([
    [{ backoff: 'yes' }, 'backoff', /expected false, true or an object/],
    [{ backoff: { maxDelya: 10 } }, 'backoff.maxDelya', /one of initialDelay, factor, maxDelay, resetAfter, jitter/],
    [{ backoff: { factor: 0.5 } }, 'backoff.factor', /a number ≥ 1, got number 0.5/],
    [{ backoff: { initialDelay: '1 week' } }, 'backoff.initialDelay', /a duration/],
    [{ backoff: { initialDelay: 500, maxDelay: 100 } }, 'backoff.maxDelay', /at least initialDelay \(500 ms\)/],
    [{ backoff: { jitter: 'on' } }, 'backoff.jitter', /true or false/],
    [{ maxMemoryRestart: '200X' }, 'maxMemoryRestart', /a size above 0/],
    [{ maxMemoryRestart: 0 }, 'maxMemoryRestart', /a size above 0/],
    [{ cronRestart: 'every day' }, 'cronRestart', /a cron expression/],
    [{ cronRestart: 5 }, 'cronRestart', /a cron expression/],
    [{ watch: 3 }, 'watch', /true, false, a path/],
    [{ watch: [] }, 'watch', /non-empty array/],
    [{ ignoreWatch: [1] }, 'ignoreWatch', /a path or glob/],
    [{ watchDelay: -1 }, 'watchDelay', /a duration/],
  ])('rejects %o naming %s', (extra, option, message) => {
    const error = rejection(extra)
    expect(error.option).toBe(option)
    expect(error.message).toMatch(message)
  })

  it('suggests the key for a typo', () => {
    expect(rejection({ cron_restart: '* * * * *' }).message).toMatch(/did you mean "cronRestart"/)
    expect(rejection({ maxMemoryRestrat: '1G' }).message).toMatch(/did you mean "maxMemoryRestart"/)
  })

  it('parses sizes, keeps a valid cron expression and resolves watch paths against cwd', () => {
    const spec = normalizeSpec(
      {
        ...base,
        maxMemoryRestart: '200M',
        cronRestart: ' */5 * * * * * ',
        watch: ['src', '/abs/path'],
        ignoreWatch: '*.log',
        watchDelay: '2s',
      },
      context,
    )
    expect(spec).toMatchObject({
      maxMemoryRestart: 200 * 1024 * 1024,
      cronRestart: '*/5 * * * * *',
      watch: [join(fixturesDir, 'src'), '/abs/path'],
      ignoreWatch: ['*.log'],
      watchDelay: 2000,
    })
    expect(normalizeSpec({ ...base, watch: true }, context).watch).toEqual([fixturesDir])
    expect(normalizeSpec({ ...base, maxMemoryRestart: 1000 }, context).maxMemoryRestart).toBe(1000)
  })
})
