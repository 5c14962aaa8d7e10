import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { DependencyError } from '../../src/errors.js'
import type { AppSpec } from '../../src/types.js'
import { fixture, nextEvent, recordEvents, supervisor, tempDir } from '../helpers.js'

const nameOf = (payload: Record<string, unknown>): string => (payload.process as { name: string }).name

describe('dependsOn conditions', () => {
  it("'started' starts the dependent once the dependency has spawned, before it is ready", async () => {
    const sup = supervisor()
    const events = recordEvents(sup)
    const flag = join(tempDir(), 'db-ready')
    // db is ready only once the flag exists, and the flag is written only once the dependent has spawned
    const db: AppSpec = { name: 'db', script: fixture('ready-on-file.cjs'), args: [flag], waitReady: true, listenTimeout: 60_000 }
    const worker: AppSpec = { name: 'worker', script: fixture('long-running.cjs'), dependsOn: { db: 'started' } }
    const workerSpawned = nextEvent(sup, 'process:spawn', (event) => event.process.name === 'worker', 60_000)
    const started = sup.start([worker, db])
    await workerSpawned
    expect(sup.describe('db')[0]!.status).toBe('launching')
    writeFileSync(flag, '')
    expect((await started).map((info) => [info.name, info.status])).toEqual([
      ['worker', 'online'],
      ['db', 'online'],
    ])
    const order = events
      .filter((e) => e.name === 'process:spawn' || e.name === 'process:online')
      .map((e) => `${e.name} ${nameOf(e.payload)}`)
    expect(order.indexOf('process:spawn db')).toBeLessThan(order.indexOf('process:spawn worker'))
    expect(order.indexOf('process:spawn worker')).toBeLessThan(order.indexOf('process:online db'))
  }, 60_000)

  it("'completed' waits for the end whatever its exit code; 'completedSuccessfully' needs code 0", async () => {
    const sup = supervisor()
    const events = recordEvents(sup)
    const job: AppSpec = { name: 'job', script: fixture('exit-with.cjs'), args: ['3', '300'], autorestart: false }
    const report: AppSpec = { name: 'report', script: fixture('long-running.cjs'), dependsOn: { job: 'completed' } }
    const deploy: AppSpec = { name: 'deploy', script: fixture('long-running.cjs'), dependsOn: { job: 'completedSuccessfully' } }
    const start = sup.start([report, deploy, job])
    await expect(start).rejects.toBeInstanceOf(DependencyError)
    await expect(start).rejects.toMatchObject({ code: 'TEND_ERR_DEPENDENCY', chain: ['deploy', 'job'] })
    expect(sup.describe('job')[0]).toMatchObject({ status: 'stopped', exitCode: 3 })
    expect(sup.describe('report')[0]!.status).toBe('online')
    expect(sup.list().map((info) => info.name)).not.toContain('deploy')
    const order = events.filter((e) => e.name === 'process:exit' || e.name === 'process:spawn').map((e) => `${e.name} ${nameOf(e.payload)}`)
    expect(order.indexOf('process:exit job')).toBeGreaterThanOrEqual(0)
    expect(order.indexOf('process:exit job')).toBeLessThan(order.indexOf('process:spawn report'))
  }, 60_000)
})
