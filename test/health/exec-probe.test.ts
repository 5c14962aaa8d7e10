import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { fixture, nextEvent, supervisor, tempDir } from '../helpers.js'

describe('exec probes', () => {
  it('restarts an app whose exec liveness command passes, then fails, with reason unhealthy', async () => {
    const sup = supervisor()
    const dir = tempDir()
    // the command runs in the app's cwd with its environment: it fails once the file SICK names exists there
    const command = {
      command: process.execPath,
      args: ['-e', 'process.exit(require("fs").existsSync(process.env.SICK) ? 1 : 0)'],
    }
    const liveness = { exec: command, interval: '200ms', timeout: '5s', failureThreshold: 2 } as const
    const [info] = await sup.start({
      script: fixture('long-running.cjs'),
      cwd: dir,
      env: { SICK: 'sick' },
      killTimeout: 500,
      probes: { liveness },
    })
    const healthy = await nextEvent(sup, 'process:health', (event) => event.health.status === 'healthy', 30_000)
    expect(healthy.health).toMatchObject({ status: 'healthy', consecutiveFailures: 0 })
    const before = info!.pid!

    const unhealthy = nextEvent(sup, 'process:health', (event) => event.health.status === 'unhealthy', 30_000)
    const exited = nextEvent(sup, 'process:exit', (event) => event.process.id === info!.id, 30_000)
    const restarted = nextEvent(sup, 'process:restart', (event) => event.process.id === info!.id, 30_000)
    writeFileSync(join(dir, 'sick'), '')
    const { health } = await unhealthy
    expect(health.consecutiveFailures).toBe(2)
    expect(health.lastError).toMatch(/^liveness: .* failed: /)
    const online = nextEvent(sup, 'process:online', (event) => event.process.id === info!.id, 30_000)
    expect((await exited).reason).toBe('unhealthy')
    expect((await restarted).reason).toBe('unhealthy')
    expect((await online).process.pid).not.toBe(before)
  }, 60_000)
})
