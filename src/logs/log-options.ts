/**
 * Validation and defaults of the log options of a spec (`outFile`,
 * `errorFile`, `logFile`, `mergeLogs`, `time`, `logDateFormat`, `logType`,
 * `disableLogs`, `rotate`). The spec normalizer calls this with its own
 * accessors so every message follows the one template.
 */
import { homedir } from 'node:os'
import { isAbsolute, resolve } from 'node:path'
import { parseSize } from '../config/units.js'
import type { NormalizedLogOptions, NormalizedRotate } from '../types.js'

export const LOG_DEFAULTS = {
  outFile: undefined,
  errorFile: undefined,
  logFile: undefined,
  mergeLogs: false,
  time: false,
  logDateFormat: undefined,
  logType: 'text',
  disableLogs: false,
  rotate: true,
} as const

export type LogOptionName = keyof typeof LOG_DEFAULTS

export const DEFAULT_ROTATE: NormalizedRotate = Object.freeze({ maxSize: 10 * 1024 * 1024, maxFiles: 10, compress: false })

interface Access {
  /** The value given, or its default. */
  get(option: LogOptionName): unknown
  fail(option: string, expected: string, value: unknown): never
}

/**
 * `'/dev/null'` and `false` turn a file off; a path resolves against `cwd`
 * (and `~/` against the home directory). `null` (a normalized spec given
 * back) means the default, like leaving it out.
 */
function logPath(option: LogOptionName, access: Access, cwd: string): string | false | null {
  const value = access.get(option)
  if (value === undefined || value === null) return null
  if (value === false || value === '/dev/null') return false
  if (typeof value !== 'string' || value.trim() === '') return access.fail(option, "a file path, '/dev/null' or false", value)
  if (value === '~' || value.startsWith('~/')) return resolve(homedir(), value.slice(2))
  return isAbsolute(value) ? value : resolve(cwd, value)
}

function flag(option: LogOptionName, access: Access): boolean {
  const value = access.get(option)
  if (typeof value !== 'boolean') return access.fail(option, 'true or false', value)
  return value
}

function rotation(access: Access): NormalizedRotate | null {
  const value = access.get('rotate')
  if (value === false || value === null) return null
  if (value === true) return DEFAULT_ROTATE
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return access.fail('rotate', "true, false or { maxSize: '10M', maxFiles: 10, compress: false }", value)
  }
  const input = value as Record<string, unknown>
  for (const key of Object.keys(input)) {
    if (key !== 'maxSize' && key !== 'maxFiles' && key !== 'compress')
      access.fail(`rotate.${key}`, 'maxSize, maxFiles or compress (unknown key)', input[key])
  }
  const maxSize = input.maxSize === undefined ? DEFAULT_ROTATE.maxSize : parseSize(input.maxSize)
  if (maxSize === undefined || maxSize < 1)
    access.fail('rotate.maxSize', "a size of at least 1 byte (bytes as a number, or a string like '10M')", input.maxSize)
  const maxFiles = input.maxFiles ?? DEFAULT_ROTATE.maxFiles
  if (typeof maxFiles !== 'number' || !Number.isInteger(maxFiles) || maxFiles < 0)
    access.fail('rotate.maxFiles', 'an integer ≥ 0', maxFiles)
  const compress = input.compress ?? false
  if (typeof compress !== 'boolean') access.fail('rotate.compress', 'true or false', compress)
  return { maxSize, maxFiles, compress }
}

export function normalizeLogOptions(access: Access, cwd: string): NormalizedLogOptions {
  const format = access.get('logDateFormat') ?? undefined
  if (format !== undefined && (typeof format !== 'string' || format === ''))
    access.fail('logDateFormat', "a date format such as 'YYYY-MM-DD HH:mm:ss Z'", format)
  const logType = access.get('logType')
  if (logType !== 'text' && logType !== 'json') access.fail('logType', "'text' or 'json'", logType)
  return {
    outFile: logPath('outFile', access, cwd),
    errorFile: logPath('errorFile', access, cwd),
    logFile: logPath('logFile', access, cwd),
    mergeLogs: flag('mergeLogs', access),
    time: flag('time', access),
    logDateFormat: typeof format === 'string' ? format : null,
    logType,
    disableLogs: flag('disableLogs', access),
    rotate: rotation(access),
  }
}
