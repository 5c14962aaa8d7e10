import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { fixture, supervisor, tempDir, until } from '../helpers.js'

describe('logLine probes', () => {
  it('pass as the line is printed, not at the next interval', async () => {
    const sup = supervisor()
    const flag = join(tempDir(), 'go')
    // the app prints "ready" once the flag exists; the probe checks every 10 minutes
    const started = sup.start({
      name: 'lines',
      script: fixture('ready-on-file.cjs'),
      args: [flag],
      probes: { readiness: { logLine: /^ready$/, interval: '10m' } },
    })
    started.catch(() => undefined)
    // the first check has run (and failed: nothing printed "ready" yet)
    await until(() => sup.list()[0]?.health?.lastCheckAt != null, { timeout: 30_000, message: 'the first check' })
    expect(sup.list()[0]!.health).toMatchObject({ ready: false })
    writeFileSync(flag, '')
    const [info] = await started
    expect(info).toMatchObject({ status: 'online', health: { ready: true, status: 'healthy' } })
  }, 60_000)
})
