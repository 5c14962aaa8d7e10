/**
 * Many concurrent operations on the same and on different apps, from a
 * seeded random sequence (replayable: the seed is in the test name). Per app,
 * operations run in call order, so a sequential model predicts each outcome
 * and the final state: no deadlock, no lost or duplicated process.
 */
import { describe, expect, it } from 'vitest'
import type { AppSpec, Supervisor } from '../../src/index.js'
import { fixture, isAlive, supervisor } from '../helpers.js'
import { mulberry32 } from '../../bench/lib.js'
import { freePort } from '../http-load.js'

type Op = { kind: 'start'; count: number } | { kind: 'stop' | 'restart' | 'reload' | 'delete' } | { kind: 'scale'; count: number }

interface Model {
  exists: boolean
  running: boolean[] // one flag per instance, by instance index order
}

/** What the op does to the model, and the error code it must reject with (or null). */
function apply(model: Model, op: Op): string | null {
  if (op.kind === 'start') {
    if (model.exists) return 'TEND_ERR_EXISTS'
    model.exists = true
    model.running = Array<boolean>(op.count).fill(true)
    return null
  }
  if (!model.exists) return 'TEND_ERR_NOT_FOUND'
  switch (op.kind) {
    case 'stop':
      model.running = model.running.map(() => false)
      break
    case 'restart':
    case 'reload':
      model.running = model.running.map(() => true)
      break
    case 'scale':
      model.running =
        op.count > model.running.length
          ? [...model.running, ...Array<boolean>(op.count - model.running.length).fill(true)]
          : model.running.slice(0, op.count)
      break
    case 'delete':
      model.exists = false
      model.running = []
  }
  return null
}

function run(sup: Supervisor, name: string, base: Omit<AppSpec, 'name'>, op: Op): Promise<unknown> {
  switch (op.kind) {
    case 'start':
      return sup.start({ ...base, name, instances: op.count })
    case 'scale':
      return sup.scale(name, op.count)
    default:
      return sup[op.kind](name)
  }
}

describe('concurrent operations', () => {
  for (const seed of [1, 2, 3]) {
    it(`match a sequential model per app (seed ${seed})`, async () => {
      const random = mulberry32(seed)
      const sup = supervisor()
      const apps: Record<string, Omit<AppSpec, 'name'>> = {
        forky: { script: fixture('long-running.cjs'), killTimeout: 2000 },
        clustery: { script: fixture('http-server.cjs'), mode: 'cluster', env: { PORT: await freePort() }, killTimeout: 2000 },
      }
      const models: Record<string, Model> = { forky: { exists: false, running: [] }, clustery: { exists: false, running: [] } }
      const kinds = ['start', 'start', 'stop', 'restart', 'reload', 'scale', 'scale', 'delete'] as const
      const calls: { name: string; op: Op; expected: string | null; promise: Promise<unknown> }[] = []
      for (let i = 0; i < 30; i++) {
        const name = random() < 0.5 ? 'forky' : 'clustery'
        const kind = kinds[Math.floor(random() * kinds.length)]!
        const op: Op = kind === 'start' || kind === 'scale' ? { kind, count: 1 + Math.floor(random() * 3) } : { kind }
        const expected = apply(models[name]!, op)
        calls.push({ name, op, expected, promise: run(sup, name, apps[name]!, op) })
      }
      const settled = await Promise.allSettled(calls.map((call) => call.promise))
      settled.forEach((result, i) => {
        const { name, op, expected } = calls[i]!
        const got = result.status === 'fulfilled' ? null : ((result.reason as { code?: string }).code ?? String(result.reason))
        expect(got, `call ${i}: ${op.kind} ${name}`).toBe(expected)
      })
      for (const [name, model] of Object.entries(models)) {
        const listed = sup.list().filter((info) => info.name === name)
        expect(
          listed.map((info) => info.status),
          name,
        ).toEqual(model.running.map((running) => (running ? 'online' : 'stopped')))
        expect(
          listed.map((info) => info.instance),
          name,
        ).toEqual(model.running.map((_, i) => i))
        for (const info of listed) if (info.pid !== null) expect(isAlive(info.pid)).toBe(true)
      }
      const ids = sup.list().map((info) => info.id)
      expect(new Set(ids).size).toBe(ids.length)
    })
  }
})
