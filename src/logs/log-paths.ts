/** Where a process's log files go, from its spec, its instance index and the Supervisor's home. */
import { extname, join } from 'node:path'
import type { LogFiles, NormalizedSpec } from '../types.js'

/** `out.log` → `out-3.log`; `out` → `out-3`. */
function withInstance(path: string, instance: number): string {
  const ext = extname(path)
  return ext ? `${path.slice(0, -ext.length)}-${instance}${ext}` : `${path}-${instance}`
}

/**
 * Default files are `<home>/logs/<name>-<instance>-out.log` and `-err.log`
 * (`<name>-out.log` with `mergeLogs`), and none without a home. A path the
 * spec gives is used as is for a single fork-mode instance or with
 * `mergeLogs`; otherwise each instance gets `-<instance>` before the
 * extension, so instances never share a file unless asked to. The instance
 * index, not the process id, names the files: an app resurrected by a new
 * daemon (whose ids start again from 0 in another order) writes on where it
 * left off, and `tend logs` finds its earlier lines there.
 */
export function logPaths(spec: NormalizedSpec, instance: number, home: string | undefined): LogFiles {
  if (spec.disableLogs) return {}
  const shared = spec.mergeLogs || (spec.instances === 1 && spec.mode === 'fork')
  const given = (path: string): string => (shared ? path : withInstance(path, instance))
  const fallback = (kind: 'out' | 'err'): string | undefined => {
    if (home === undefined) return undefined
    return join(home, 'logs', spec.mergeLogs ? `${spec.name}-${kind}.log` : `${spec.name}-${instance}-${kind}.log`)
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
