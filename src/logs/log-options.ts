/**
 * Validation of the log options of a spec (`outFile`, `errorFile`, `logFile`,
 * `mergeLogs`, `time`, `logDateFormat`, `logType`, `disableLogs`, `rotate`),
 * read through the spec normalizer's SpecFields (defaults in SPEC_DEFAULTS).
 */
import { homedir } from 'node:os'
import { isAbsolute, resolve } from 'node:path'
import type { SpecFields } from '../config/spec-fields.js'
import type { NormalizedLogOptions, NormalizedRotate } from '../types.js'

type LogPathOption = 'outFile' | 'errorFile' | 'logFile'

export const DEFAULT_ROTATE: NormalizedRotate = Object.freeze({ maxSize: 10 * 1024 * 1024, maxFiles: 10, compress: false })

/**
 * `'/dev/null'` and `false` turn a file off; a path resolves against `cwd`
 * (and `~/` against the home directory). `null` (a normalized spec given
 * back) means the default, like leaving it out.
 */
function logPath(option: LogPathOption, fields: SpecFields, cwd: string): string | false | null {
  const value = fields.get(option)
  if (value === undefined || value === null) return null
  if (value === false || value === '/dev/null') return false
  if (typeof value !== 'string' || value.trim() === '') return fields.fail(option, "a file path, '/dev/null' or false", value)
  if (value === '~' || value.startsWith('~/')) return resolve(homedir(), value.slice(2))
  return isAbsolute(value) ? value : resolve(cwd, value)
}

function rotation(fields: SpecFields): NormalizedRotate | null {
  const value = fields.get('rotate')
  if (value === false || value === null) return null
  if (value === true) return DEFAULT_ROTATE
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return fields.fail('rotate', "true, false or { maxSize: '10M', maxFiles: 10, compress: false }", value)
  }
  const input = value as Record<string, unknown>
  fields.rejectUnknownKeys('rotate', input, Object.keys(DEFAULT_ROTATE))
  return {
    maxSize: fields.size(
      'rotate.maxSize',
      1,
      "a size of at least 1 byte (bytes as a number, or a string like '10M')",
      input.maxSize ?? DEFAULT_ROTATE.maxSize,
    ),
    maxFiles: fields.integer('rotate.maxFiles', 0, input.maxFiles ?? DEFAULT_ROTATE.maxFiles),
    compress: fields.boolean('rotate.compress', input.compress ?? DEFAULT_ROTATE.compress),
  }
}

export function normalizeLogOptions(fields: SpecFields, cwd: string): NormalizedLogOptions {
  const format = fields.get('logDateFormat') ?? undefined
  if (format !== undefined && (typeof format !== 'string' || format === ''))
    fields.fail('logDateFormat', "a date format such as 'YYYY-MM-DD HH:mm:ss Z'", format)
  const logType = fields.get('logType')
  if (logType !== 'text' && logType !== 'json') fields.fail('logType', "'text' or 'json'", logType)
  return {
    outFile: logPath('outFile', fields, cwd),
    errorFile: logPath('errorFile', fields, cwd),
    logFile: logPath('logFile', fields, cwd),
    mergeLogs: fields.boolean('mergeLogs'),
    time: fields.boolean('time'),
    logDateFormat: typeof format === 'string' ? format : null,
    logType,
    disableLogs: fields.boolean('disableLogs'),
    rotate: rotation(fields),
  }
}
