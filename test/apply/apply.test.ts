import { describe, expect, it } from 'vitest'
import type { AppSpec } from '../../src/index.js'
import { fixture, supervisor, waitForLine } from '../helpers.js'

const printEnv = (env: Record<string, string>, extra: Partial<AppSpec> = {}): AppSpec => ({
  name: 'env',
  script: fixture('print-env.cjs'),
  args: ['A', 'B', 'SECRET_TOKEN'],
  env,
  ...extra,
})

describe('sup.apply(specs, { prune })', { timeout: 120_000 }, () => {
  it('starts new apps, restarts a changed fork app with its new env (a removed key is gone), leaves unchanged ones alone', async () => {
    const sup = supervisor()
    const quiet: AppSpec = { name: 'quiet', script: fixture('long-running.cjs') }
    const first = await sup.apply([printEnv({ A: '1', B: '2', SECRET_TOKEN: 's1' }), quiet])
    expect(first.map((result) => [result.name, result.diff.change, result.actions])).toEqual([
      ['env', 'added', ['start']],
      ['quiet', 'added', ['start']],
    ])
    const quietPid = sup.describe('quiet')[0]!.pid
    await waitForLine(sup, 'env', /^B=2$/)

    const second = await sup.apply([printEnv({ A: '1', SECRET_TOKEN: 's2' }), quiet])
    const env = second.find((result) => result.name === 'env')!
    expect(env.actions).toEqual(['restart'])
    expect(env.diff.env).toEqual({ added: [], removed: ['B'], changed: [{ key: 'SECRET_TOKEN', from: '[redacted]', to: '[redacted]' }] })
    expect(second.find((result) => result.name === 'quiet')).toMatchObject({ actions: [], diff: { change: 'unchanged' } })
    expect(sup.describe('quiet')[0]!.pid).toBe(quietPid)
    // the new run sees no B at all: a key removed from env is gone
    const pid = sup.describe('env')[0]!.pid
    await waitForLine(sup, 'env', /^SECRET_TOKEN=s2$/)
    const lines = sup.logs('env', { lines: 100 }).map((line) => line.line)
    expect(lines.slice(lines.lastIndexOf('A=1'))).toEqual(['A=1', 'B=', 'SECRET_TOKEN=s2'])
    expect(sup.environment('env')[0]!.env).not.toHaveProperty('B')
    expect(sup.describe('env')[0]!.pid).toBe(pid)
  })

  it('reloads a changed cluster app, scales on a changed instances, and --prune deletes what the file lacks', async () => {
    const sup = supervisor()
    const web = (instances: number, env: Record<string, string>): AppSpec => ({
      name: 'web',
      script: fixture('http-server.cjs'),
      mode: 'cluster',
      instances,
      env,
    })
    await sup.apply([web(2, { V: '1' }), { name: 'old', script: fixture('long-running.cjs') }])
    const before = sup.describe('web').map((info) => info.pid)

    const dry = await sup.apply([web(3, { V: '2' })], { prune: true, dryRun: true })
    expect(dry.map((result) => [result.name, result.actions])).toEqual([
      ['web', ['reload', 'scale']],
      ['old', ['delete']],
    ])
    expect(sup.describe('web').map((info) => info.pid)).toEqual(before)
    expect(sup.describe('old')).toHaveLength(1)

    const done = await sup.apply([web(3, { V: '2' })], { prune: true })
    expect(done.map((result) => [result.name, result.actions])).toEqual([
      ['web', ['reload', 'scale']],
      ['old', ['delete']],
    ])
    const after = sup.describe('web')
    expect(after.map((info) => info.status)).toEqual(['online', 'online', 'online'])
    expect(after.every((info) => info.spec.env.V === '2')).toBe(true)
    expect(after.map((info) => info.pid).filter((pid) => before.includes(pid))).toEqual([])
    expect(sup.list().map((info) => info.name)).toEqual(['web', 'web', 'web'])

    const fewer = await sup.apply([web(1, { V: '2' })])
    expect(fewer[0]).toMatchObject({ actions: ['scale'], diff: { change: 'changed', keys: [], instances: { from: 3, to: 1 } } })
    expect(sup.describe('web').map((info) => info.pid)).toEqual([after[0]!.pid])
  })

  it('reports a failed step in its entry and keeps the old spec, so applying again tries again', async () => {
    const sup = supervisor()
    await sup.apply([{ name: 'web', script: fixture('http-server.cjs'), mode: 'cluster', instances: 1, listenTimeout: 10_000 }])
    const pid = sup.describe('web')[0]!.pid
    const [result] = await sup.apply([
      { name: 'web', script: fixture('throws-at-start.cjs'), mode: 'cluster', instances: 1, listenTimeout: 10_000 },
    ])
    expect(result!.error?.code).toMatch(/^TEND_ERR_/)
    expect(result!.actions).toEqual([])
    expect(sup.describe('web')[0]).toMatchObject({ pid, status: 'online', spec: { script: fixture('http-server.cjs') } })
  })
})
