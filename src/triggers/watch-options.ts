/** The watch options of a spec: `watch`, `ignoreWatch` and `watchDelay`. */
import { isAbsolute, resolve } from 'node:path'
import type { SpecFields } from '../config/spec-fields.js'

export interface WatchOptions {
  /** Absolute paths to watch, or false. */
  readonly watch: readonly string[] | false
  readonly ignoreWatch: readonly string[]
  readonly watchDelay: number
}

export function normalizeWatchOptions(fields: SpecFields, cwd: string): WatchOptions {
  return { watch: watchPaths(fields, cwd), ignoreWatch: ignored(fields), watchDelay: fields.duration('watchDelay') }
}

/** `true` → [cwd]; a path or paths → absolute paths under cwd; false → false. */
function watchPaths(fields: SpecFields, cwd: string): readonly string[] | false {
  const value = fields.get('watch')
  if (value === false) return false
  if (value === true) return [cwd]
  const list = typeof value === 'string' ? [value] : value
  if (!Array.isArray(list) || list.length === 0 || !list.every((item) => typeof item === 'string' && item.trim() !== '')) {
    return fields.fail('watch', 'true, false, a path or a non-empty array of paths (relative to cwd)', value)
  }
  return (list as string[]).map((path) => (isAbsolute(path) ? path : resolve(cwd, path)))
}

function ignored(fields: SpecFields): readonly string[] {
  const value = fields.get('ignoreWatch')
  const list = typeof value === 'string' ? [value] : value
  if (!Array.isArray(list) || !list.every((item) => typeof item === 'string' && item.trim() !== '')) {
    return fields.fail('ignoreWatch', 'a path or glob, or an array of them (relative to cwd)', value)
  }
  return [...(list as string[])]
}
