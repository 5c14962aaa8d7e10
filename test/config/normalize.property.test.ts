/** Property tests: any input to start() either normalizes or fails with a typed error, and never changes state. */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { InvalidSpecError, TendError } from '../../src/index.js'
import { normalizeSpec, SPEC_KEYS } from '../../src/config/normalize.js'
import { fixture, fixturesDir, supervisor } from '../helpers.js'

const context = { env: process.env, baseCwd: fixturesDir }
const script = fixture('long-running.cjs')

const anyValue = fc.oneof(
  fc.string(),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.constant(undefined),
  fc.array(fc.oneof(fc.string(), fc.integer())),
  fc.dictionary(fc.string(), fc.oneof(fc.string(), fc.integer(), fc.object())),
)

describe('normalizeSpec (property)', () => {
  it('returns a frozen spec or throws InvalidSpecError for random field values', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom(...SPEC_KEYS, 'nope', 'exec_mode'), anyValue), fc.boolean(), (fields, withScript) => {
        const spec = withScript ? { ...fields, script } : fields
        try {
          const normalized = normalizeSpec(spec, context)
          expect(Object.isFrozen(normalized)).toBe(true)
          expect(normalized.instances).toBeGreaterThanOrEqual(1)
        } catch (error) {
          expect(error).toBeInstanceOf(InvalidSpecError)
          expect((error as InvalidSpecError).message.length).toBeGreaterThan(0)
        }
      }),
      { numRuns: 500 },
    )
  })

  it('throws InvalidSpecError for anything that is not an object', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.integer(), fc.constant(null), fc.array(fc.anything())), (value) => {
        expect(() => normalizeSpec(value, context)).toThrow(InvalidSpecError)
      }),
    )
  })

  it('keeps env values with newlines and huge args intact', () => {
    const spec = normalizeSpec({ script, env: { MULTI: 'a\nb\r\nc' }, args: Array.from({ length: 5000 }, (_, i) => `arg-${i}`) }, context)
    expect(spec.env.MULTI).toBe('a\nb\r\nc')
    expect(spec.args).toHaveLength(5000)
  })
})

describe('start() with random input', () => {
  it('rejects with a TendError and leaves the state unchanged', async () => {
    const sup = supervisor()
    await sup.start({ name: 'keep', script })
    const before = JSON.stringify(sup.list().map(({ uptime: _uptime, ...info }) => info))
    await fc.assert(
      fc.asyncProperty(fc.dictionary(fc.constantFrom(...SPEC_KEYS), anyValue), async (fields) => {
        // a name that exists, or no script: always invalid, so nothing may start
        const spec = fields.script === undefined ? { ...fields, name: 'keep' } : { ...fields, script: 'missing-script.js' }
        await expect(sup.start(spec as never)).rejects.toBeInstanceOf(TendError)
      }),
      { numRuns: 200 },
    )
    expect(JSON.stringify(sup.list().map(({ uptime: _uptime, ...info }) => info))).toBe(before)
  })
})
