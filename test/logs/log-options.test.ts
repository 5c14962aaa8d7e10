import { homedir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { InvalidSpecError } from '../../src/index.js'
import { formatDate, timestamper } from '../../src/logs/date-format.js'
import { logPaths } from '../../src/logs/log-paths.js'
import { normalizeSpec } from '../../src/config/normalize.js'
import { fixture, fixturesDir } from '../helpers.js'

const context = { env: process.env, baseCwd: fixturesDir }
const script = fixture('long-running.cjs')
const spec = (extra: Record<string, unknown>) => normalizeSpec({ script, name: 'app', ...extra }, context)

describe('log options', () => {
  it('defaults: default files, text, no timestamps, rotation at 10M keeping 10', () => {
    expect(spec({})).toMatchObject({
      outFile: null,
      errorFile: null,
      logFile: null,
      mergeLogs: false,
      time: false,
      logDateFormat: null,
      logType: 'text',
      disableLogs: false,
      rotate: { maxSize: 10 * 1024 * 1024, maxFiles: 10, compress: false },
    })
  })

  it('resolves paths against cwd and ~, turns off with false or /dev/null, and parses rotate', () => {
    const normalized = spec({
      outFile: 'logs/out.log',
      errorFile: '/dev/null',
      logFile: '~/all.log',
      rotate: { maxSize: '1M', maxFiles: 2, compress: true },
    })
    expect(normalized).toMatchObject({
      outFile: join(fixturesDir, 'logs', 'out.log'),
      errorFile: false,
      logFile: join(homedir(), 'all.log'),
      rotate: { maxSize: 1024 * 1024, maxFiles: 2, compress: true },
    })
    expect(spec({ outFile: false, rotate: false })).toMatchObject({ outFile: false, rotate: null })
    // null, as a normalized spec has it, means the default (or off, for rotate)
    expect(spec({ outFile: null, logDateFormat: null, rotate: null })).toMatchObject({ outFile: null, logDateFormat: null, rotate: null })
    expect(Object.isFrozen(normalized.rotate)).toBe(true)
  })

  it.each([
    [{ outFile: 42 }, 'outFile', /expected a file path, '\/dev\/null' or false, got number 42/],
    [{ logFile: '' }, 'logFile', /a file path/],
    [{ mergeLogs: 'yes' }, 'mergeLogs', /true or false/],
    [{ logType: 'xml' }, 'logType', /'text' or 'json'/],
    [{ logDateFormat: 5 }, 'logDateFormat', /date format/],
    [{ rotate: { maxSize: 'big' } }, 'rotate.maxSize', /a size/],
    [{ rotate: { maxFiles: -1 } }, 'rotate.maxFiles', /integer ≥ 0/],
    [{ rotate: { max_size: '1M' } }, 'rotate.max_size', /unknown key/],
    [{ rotate: 'daily' }, 'rotate', /true, false or/],
  ])('rejects %o naming %s', (extra, option, message) => {
    let error: unknown
    try {
      spec(extra)
    } catch (caught) {
      error = caught
    }
    expect(error).toBeInstanceOf(InvalidSpecError)
    expect(error).toMatchObject({ option, app: 'app' })
    expect((error as Error).message).toMatch(message)
  })
})

describe('logPaths', () => {
  it('puts default files under <home>/logs with the instance index, or without it when merged, and none without a home', () => {
    expect(logPaths(spec({}), 7, '/h')).toEqual({ out: '/h/logs/app-7-out.log', err: '/h/logs/app-7-err.log' })
    expect(logPaths(spec({ mergeLogs: true }), 7, '/h')).toEqual({ out: '/h/logs/app-out.log', err: '/h/logs/app-err.log' })
    expect(logPaths(spec({}), 7, undefined)).toEqual({})
    expect(logPaths(spec({ disableLogs: true, outFile: '/x.log' }), 7, '/h')).toEqual({})
  })

  it('uses a given path as is for one instance or merged, and with -<instance> for several', () => {
    expect(logPaths(spec({ outFile: '/l/out.log', logFile: '/l/all' }), 3, '/h')).toEqual({
      out: '/l/out.log',
      err: '/h/logs/app-3-err.log',
      combined: '/l/all',
    })
    expect(logPaths(spec({ outFile: '/l/out.log', logFile: '/l/all', instances: 2 }), 3, undefined)).toEqual({
      out: '/l/out-3.log',
      combined: '/l/all-3',
    })
    expect(logPaths(spec({ outFile: '/l/out.log', instances: 2, mergeLogs: true }), 3, undefined)).toEqual({ out: '/l/out.log' })
  })
})

describe('timestamps', () => {
  it('formats dayjs-style tokens in local time, with [literal] text', () => {
    const date = new Date(2026, 0, 2, 15, 4, 5, 6)
    expect(formatDate(date, 'YYYY-MM-DD HH:mm:ss.SSS')).toBe('2026-01-02 15:04:05.006')
    expect(formatDate(date, '[YYYY] YY M D H h hh A a m s')).toBe('YYYY 26 1 2 15 3 03 PM pm 4 5')
    expect(formatDate(date, 'Z')).toMatch(/^[+-]\d\d:\d\d$/)
    expect(formatDate(date, 'ZZ')).toMatch(/^[+-]\d{4}$/)
  })

  it('is ISO 8601 UTC with milliseconds by default', () => {
    expect(timestamper(null)(Date.UTC(2026, 10, 21, 10, 0, 0, 5))).toBe('2026-11-21T10:00:00.005Z')
  })
})
