import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { fixture, supervisor, tempDir } from '../helpers.js'
import { freePort } from '../http-load.js'

describe('a readiness probe that never passes on a first start', () => {
  it('fails its start with TEND_ERR_READY_TIMEOUT (not online, not confirmed), and the apps that depend on it are not started', async () => {
    const sup = supervisor()
    const port = await freePort()
    const flag = join(tempDir(), 'never-ready')
    writeFileSync(flag, '') // probe-app.cjs then never listens
    const readiness = { tcp: {}, interval: '200ms', timeout: '200ms', failureThreshold: 2 } as const
    const started = sup.start([
      {
        name: 'db',
        script: fixture('probe-app.cjs'),
        env: { PORT: port, NEVER_READY_FILE: flag },
        listenTimeout: 500,
        killTimeout: 1000,
        probes: { readiness },
      },
      { name: 'api', script: fixture('long-running.cjs'), dependsOn: ['db'] },
    ])
    await expect(started).rejects.toMatchObject({ code: 'TEND_ERR_READY_TIMEOUT', app: 'db' })
    const db = sup.list().find((info) => info.name === 'db')!
    expect(db).toMatchObject({ status: 'errored', pid: null })
    expect(sup.list().map((info) => info.name)).toEqual(['db'])
  }, 60_000)
})
