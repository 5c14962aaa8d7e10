/**
 * The daemon's pid file, read without loading the daemon (the CLI checks it
 * on every call; the Supervisor and its dependencies load only in the daemon).
 */
import { readFileSync } from 'node:fs'

/** The pid in a pid file, if the file exists and names a live tend daemon. */
export function livePid(pidFile: string): number | null {
  let pid: number
  try {
    pid = Number.parseInt(readFileSync(pidFile, 'utf8'), 10)
  } catch {
    return null
  }
  if (!Number.isInteger(pid) || pid <= 0) return null
  try {
    process.kill(pid, 0)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return null
  }
  // A pid the system gave to another program since the daemon died is stale too (where /proc tells).
  try {
    if (!readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('daemon')) return null
  } catch {
    // no /proc (macOS), or the process is gone: trust the signal check
  }
  return pid
}
