/** Where a process's log files go, from its spec, its id and the Supervisor's home. */
import { extname, join } from 'node:path'
import type { LogFiles, NormalizedSpec } from '../types.js'

/** `out.log` → `out-3.log`; `out` → `out-3`. */
function withId(path: string, id: number): string {
  const ext = extname(path)
  return ext ? `${path.slice(0, -ext.length)}-${id}${ext}` : `${path}-${id}`
}

/**
 * Default files are `<home>/logs/<name>-<id>-out.log` and `-err.log`
 * (`<name>-out.log` with `mergeLogs`), and none without a home. A path the
 * spec gives is used as is for a single fork-mode instance or with
 * `mergeLogs`; otherwise each instance gets `-<id>` before the extension, as
 * PM2 does, so instances never share a file unless asked to.
 */
export function logPaths(spec: NormalizedSpec, id: number, home: string | undefined): LogFiles {
  if (spec.disableLogs) return {}
  const shared = spec.mergeLogs || (spec.instances === 1 && spec.mode === 'fork')
  const given = (path: string): string => (shared ? path : withId(path, id))
  const fallback = (kind: 'out' | 'err'): string | undefined => {
    if (home === undefined) return undefined
    return join(home, 'logs', spec.mergeLogs ? `${spec.name}-${kind}.log` : `${spec.name}-${id}-${kind}.log`)
  }
  const pick = (value: string | false | null, kind?: 'out' | 'err'): string | undefined => {
    if (value === false) return undefined
    if (value === null) return kind ? fallback(kind) : undefined
    return given(value)
  }
  const files: { out?: string; err?: string; combined?: string } = {}
  const out = pick(spec.outFile, 'out')
  const err = pick(spec.errorFile, 'err')
  const combined = pick(spec.logFile)
  if (out !== undefined) files.out = out
  if (err !== undefined) files.err = err
  if (combined !== undefined) files.combined = combined
  return files
}
