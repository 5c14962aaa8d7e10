import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { jsonLinesFormatter } from '../../src/logs/json-lines.js'
import { fixture, supervisor, tempDir } from '../helpers.js'

const COUNT = 200_000

function format(lines: string[]): unknown[] {
  const formatter = jsonLinesFormatter({ app: 'api', instance: 1, id: 7, stream: 'out' }, () => '2026-01-01T00:00:00.000Z')
  const text = lines.join('\n') + '\n'
  const buffer = formatter({ at: 0, lines, text, bytes: Buffer.from(text), ascii: true } as never)
  return buffer
    .toString()
    .trimEnd()
    .split('\n')
    .map((line) => JSON.parse(line) as unknown)
}

describe("logType 'json'", () => {
  it('merges a line that is a JSON object, wraps any other line as message', () => {
    const tend = { time: '2026-01-01T00:00:00.000Z', app: 'api', instance: 1, id: 7, stream: 'out' }
    expect(
      format([
        '{"level":30,"msg":"hi"}',
        '  {"a":{"b":[1]}}  ',
        '{}',
        'plain text',
        '[1,2]',
        '{"broken":',
        '{"time":1700000000000,"id":"req-1","msg":"own"}',
      ]),
    ).toEqual([
      { ...tend, level: 30, msg: 'hi' },
      { ...tend, a: { b: [1] } },
      tend,
      { ...tend, message: 'plain text' },
      { ...tend, message: '[1,2]' },
      { ...tend, message: '{"broken":' },
      // the app's own fields keep their values
      { ...tend, time: 1700000000000, id: 'req-1', msg: 'own' },
    ])
  })

  it(`${COUNT} lines from a real pino app arrive in order, none lost, each a parseable merged object`, async () => {
    const dir = tempDir()
    const sup = supervisor()
    const [info] = await sup.start({
      name: 'pino',
      script: fixture('pino-lines.cjs'),
      env: { COUNT },
      logType: 'json',
      outFile: join(dir, 'out.log'),
      rotate: false, // all of it in one file (by default it rotates at 10M)
      autorestart: false,
    })
    await sup.waitFor('pino', 'stopped', { timeout: 120_000 })
    await sup.stop('pino') // resolves once what it printed is in its file
    const lines = readFileSync(join(dir, 'out.log'), 'utf8').trimEnd().split('\n')
    expect(lines).toHaveLength(COUNT)
    lines.forEach((line, seq) => {
      const record = JSON.parse(line) as Record<string, unknown>
      if (record.seq !== seq || record.app !== 'pino' || record.id !== info!.id || record.msg !== 'line' || record.level !== 30) {
        expect.fail(`line ${seq} is ${line}`)
      }
    })
    const first = JSON.parse(lines[0]!) as Record<string, unknown>
    expect(first).toMatchObject({ app: 'pino', instance: 0, id: info!.id, stream: 'out' })
    expect(typeof first.time).toBe('number') // pino's own time stays
  })
})
