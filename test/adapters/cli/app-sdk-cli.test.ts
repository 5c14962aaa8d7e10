import { describe, expect, it } from 'vitest'
import { fixture } from '../../helpers.js'
import { freePort } from '../../http-load.js'
import { tendHome, type TendHome } from './cli-helpers.js'

async function eventually(tend: TendHome, args: string[], pattern: RegExp): Promise<string> {
  const deadline = Date.now() + 60_000
  for (;;) {
    const { stdout } = await tend.run(args)
    if (pattern.test(stdout)) return stdout
    if (Date.now() > deadline) throw new Error(`tend ${args.join(' ')} never printed ${pattern}; last:\n${stdout}`)
  }
}

describe('tend trigger, tend metrics, describe and the daemon --metrics-port', () => {
  it('runs an @pm2/io action, prints the Prometheus text and serves it on the opt-in loopback port', async () => {
    const tend = tendHome()
    const port = await freePort()
    const started = await tend.run(['start', fixture('pm2-io-app.cjs'), '--name', 'legacy'], { env: { TEND_METRICS_PORT: String(port) } })
    expect(started.code, started.stderr).toBe(0)

    const text = await eventually(tend, ['metrics'], /^realtime_user\{app="legacy"\} 42$/m)
    expect(text).toContain('tend_process_status{')
    const served = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text()
    expect(served).toMatch(/^realtime_user\{app="legacy"\} 42$/m)

    const described = await eventually(tend, ['describe', 'legacy'], /actions: .*greet/)
    expect(described).toMatch(/realtime_user \(gauge, avg, @pm2\/io\): 42/)

    const greet = await tend.run(['trigger', 'legacy', 'greet', '{"who":"cli"}'])
    expect(greet.code, greet.stderr).toBe(0)
    expect(greet.stdout).toContain('{"hello":"cli"}')
    const unknown = await tend.run(['trigger', 'legacy', 'nope', '--json'])
    expect(unknown.code).not.toBe(0)
    expect(JSON.parse(unknown.stdout)).toMatchObject([{ status: 'rejected', reason: { code: 'TEND_ERR_ACTION_UNKNOWN' } }])
    expect(unknown.stderr).toContain('1 of 1 process(es) failed "nope"')
  })
})
