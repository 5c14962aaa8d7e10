import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { InvalidSpecError } from '../../src/index.js'
import { normalizeSpec } from '../../src/config/normalize.js'
import { parseDuration, parseSize } from '../../src/config/units.js'
import { fixture, fixturesDir, supervisor, tempDir } from '../helpers.js'

const context = { env: process.env, baseCwd: fixturesDir }
const script = fixture('long-running.cjs')

function invalid(spec: unknown): InvalidSpecError {
  try {
    normalizeSpec(spec, context)
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidSpecError)
    expect((error as InvalidSpecError).code).toBe('TEND_ERR_INVALID_SPEC')
    return error as InvalidSpecError
  }
  throw new Error(`expected ${JSON.stringify(spec)} to be rejected`)
}

describe('normalizeSpec', () => {
  it('applies the documented defaults', () => {
    const spec = normalizeSpec({ script: 'long-running.cjs' }, context)
    expect(spec).toMatchObject({
      name: 'long-running',
      script,
      args: [],
      interpreter: process.execPath,
      isNode: true,
      cwd: fixturesDir,
      namespace: 'default',
      mode: 'fork',
      instances: 1,
      autostart: true,
      autorestart: true,
      stopExitCodes: [],
      minUptime: 1000,
      maxRestarts: 16,
      restartDelay: 0,
      killSignal: 'SIGINT',
      killTimeout: 1600,
      treekill: true,
      shutdownWithMessage: false,
      waitReady: false,
      listenTimeout: 3000,
      instanceVar: 'NODE_APP_INSTANCE',
      incrementVar: null,
      critical: false,
    })
    expect(Object.isFrozen(spec)).toBe(true)
  })

  it('parses units, string args, env scalars and instances', () => {
    const spec = normalizeSpec(
      {
        script,
        args: '--port 80  --verbose',
        minUptime: '2s',
        killTimeout: '500ms',
        restartDelay: '1m',
        env: { A: 1, B: true },
        instances: 'max',
      },
      context,
    )
    expect(spec.args).toEqual(['--port', '80', '--verbose'])
    expect([spec.minUptime, spec.killTimeout, spec.restartDelay]).toEqual([2000, 500, 60_000])
    expect(spec.env).toEqual({ A: '1', B: 'true' })
    expect(spec.instances).toBeGreaterThanOrEqual(1)
    expect(normalizeSpec({ script, instances: -100 }, context).instances).toBe(1)
    expect(normalizeSpec({ script, instances: '3' }, context).instances).toBe(3)
  })

  it.each([
    ['not an object', 'nope', undefined],
    ['a missing script', { name: 'x' }, 'script'],
    ['a script that does not exist', { script: 'missing.js' }, 'script'],
    ['a script that is a directory', { script: fixturesDir }, 'script'],
    ['a binary not on PATH', { script: 'no-such-binary-tend', interpreter: 'none' }, 'script'],
    ['a wrong type', { script, autorestart: 'yes' }, 'autorestart'],
    ['bad instances', { script, instances: 1.5 }, 'instances'],
    ['bad instances string', { script, instances: 'lots' }, 'instances'],
    ['a bad duration', { script, killTimeout: 'soon' }, 'killTimeout'],
    ['a negative number', { script, maxRestarts: -1 }, 'maxRestarts'],
    ['an unknown signal', { script, killSignal: 'SIGNOPE' }, 'killSignal'],
    ['a cwd that does not exist', { script, cwd: '/no/such/dir/tend' }, 'cwd'],
    ['an env object value', { script, env: { A: { nested: 1 } } }, 'env.A'],
    ['bad stopExitCodes', { script, stopExitCodes: ['1'] }, 'stopExitCodes'],
    ['a name with a space', { script, name: 'two words' }, 'name'],
    ['a numeric name', { script, name: '12' }, 'name'],
    ['an unknown mode', { script, mode: 'thread' }, 'mode'],
    ['a critical that is no boolean', { script, critical: 'yes' }, 'critical'],
    ['shutdownWithMessage without IPC', { script: fixture('hello.sh'), shutdownWithMessage: true }, 'shutdownWithMessage'],
    ['incrementVar without a base', { script, incrementVar: 'NO_SUCH_VAR_TEND' }, 'incrementVar'],
  ])('rejects %s naming the option', (_label, spec, option) => {
    const error = invalid(spec)
    expect(error.option).toBe(option)
    if (option) expect(error.message).toContain(option)
  })

  it('rejects unknown keys with a did-you-mean hint', () => {
    const error = invalid({ script, name: 'api', instnaces: 2 })
    expect(error.option).toBe('instnaces')
    expect(error.message).toContain('did you mean "instances"?')
    expect(invalid({ script, kill_timeout: 5 }).message).toContain('did you mean "killTimeout"?')
    expect(invalid({ script, zzzzzzzz: 1 }).message).not.toContain('did you mean')
    // a swap of two letters is one typo; a short word two edits away is no typo
    expect(invalid({ script, nmae: 'x' }).message).toContain('did you mean "name"?')
    expect(invalid({ script, max: 2 }).message).not.toContain('did you mean')
  })

  it('refuses a .ts script that plain node cannot run, with the two ways that work', () => {
    const dir = tempDir()
    writeFileSync(join(dir, 'app.ts'), 'const port: number = 3000\n')
    // Node 22.18+, 23.6+ and 24+ strip types by themselves: there the script is fine as it is.
    if ((process.features as { typescript?: unknown }).typescript) {
      expect(normalizeSpec({ script: join(dir, 'app.ts') }, context).script).toBe(join(dir, 'app.ts'))
      return
    }
    const error = invalid({ script: join(dir, 'app.ts') })
    expect(error.option).toBe('script')
    expect(error.message).toContain("interpreter: 'tsx'")
    expect(error.message).toContain("interpreterArgs: ['--import', 'tsx']")
    expect(() => normalizeSpec({ script: join(dir, 'app.ts'), interpreterArgs: ['--import', 'tsx'] }, context)).not.toThrow()
  })

  it('accepts paths with spaces and unicode', () => {
    const dir = join(tempDir(), 'dir with spaces ü')
    mkdirSync(dir)
    writeFileSync(join(dir, 'app é.cjs'), 'setInterval(() => {}, 1000)')
    expect(normalizeSpec({ script: 'app é.cjs', cwd: dir }, context).script).toBe(join(dir, 'app é.cjs'))
  })
})

describe('units', () => {
  it.each([
    [1024, 1024],
    ['200M', 200 * 1024 ** 2],
    ['1.5K', 1536],
    ['2G', 2 * 1024 ** 3],
    ['10mb', 10 * 1024 ** 2],
    ['abc', undefined],
    [-1, undefined],
  ])('parseSize(%s) = %s', (input, expected) => expect(parseSize(input)).toBe(expected))

  it.each([
    [250, 250],
    ['250ms', 250],
    ['3s', 3000],
    ['2m', 120_000],
    ['1h', 3_600_000],
    ['1d', undefined],
    [Number.NaN, undefined],
  ])('parseDuration(%s) = %s', (input, expected) => expect(parseDuration(input)).toBe(expected))
})

describe('bad input through the Supervisor', () => {
  it('leaves the state intact after each bad spec', async () => {
    const sup = supervisor()
    const [good] = await sup.start({ name: 'good', script })
    const before = sup.list()
    for (const bad of [
      {},
      { script, instnaces: 2 },
      { script: 'missing.js' },
      [
        { script, name: 'a' },
        { script, name: 'a' },
      ],
      [],
    ]) {
      await expect(sup.start(bad as never)).rejects.toMatchObject({ code: 'TEND_ERR_INVALID_SPEC' })
    }
    // A bad spec in an array rejects the whole call before anything starts.
    await expect(
      sup.start([
        { name: 'fine', script },
        { name: 'bad', script, instances: 'x' as never },
      ]),
    ).rejects.toBeInstanceOf(InvalidSpecError)
    expect(sup.list()).toEqual(before.map((info) => ({ ...info, uptime: expect.any(Number) as number })))
    expect(sup.list()[0]!.pid).toBe(good!.pid)
    await expect(sup.signal('good', 'NOTASIGNAL' as NodeJS.Signals)).rejects.toMatchObject({ code: 'TEND_ERR_INVALID_ARGUMENT' })
    expect(() => sup.logs('good', { lines: -1 })).toThrow(expect.objectContaining({ code: 'TEND_ERR_INVALID_ARGUMENT' }))
  })
})
