/**
 * PM2 as a benchmark contender: its public programmatic API (`connect`,
 * `start`, `restart`, `reload`, `scale`, `delete`, `list`, `killDaemon`) in a
 * driver process (pm2-driver.cjs), with a daemon of its own in a temporary
 * PM2_HOME that is removed when the contender closes. Each call crosses one
 * IPC hop to the driver (a fraction of a millisecond) before PM2's own
 * socket to its daemon.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Contender } from '../contender.js'
import { IpcContender } from '../ipc-contender.js'

const driver = fileURLToPath(new URL('./pm2-driver.cjs', import.meta.url))

/** PM2 as a contender; `home` is its PM2_HOME (for running the `pm2` CLI against the same daemon). */
export async function createPm2Contender(): Promise<Contender & { readonly home: string }> {
  const home = mkdtempSync(join(tmpdir(), 'tend-bench-pm2-'))
  const { PM2_HOME: _home, ...env } = process.env
  let contender: IpcContender
  try {
    contender = await IpcContender.spawn('PM2', driver, [home], env)
  } catch (error) {
    rmSync(home, { recursive: true, force: true })
    throw error
  }
  const close = contender.close.bind(contender)
  return Object.assign(contender, {
    home,
    close: async () => {
      try {
        await close()
      } finally {
        rmSync(home, { recursive: true, force: true })
      }
    },
  })
}
