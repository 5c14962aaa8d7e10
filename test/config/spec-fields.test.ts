import { describe, expect, it } from 'vitest'
import { InvalidSpecError } from '../../src/index.js'
import { normalizeSpec } from '../../src/config/normalize.js'
import { SPEC_DEFAULTS, SPEC_KEYS } from '../../src/config/spec-defaults.js'
import { DURATION_FORM, SpecFields } from '../../src/config/spec-fields.js'
import { fixturesDir } from '../helpers.js'

const context = { env: process.env, baseCwd: fixturesDir }

function messageOf(spec: Record<string, unknown>): string {
  try {
    normalizeSpec({ script: 'long-running.cjs', ...spec }, context)
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidSpecError)
    return (error as Error).message
  }
  throw new Error(`expected ${JSON.stringify(spec)} to be rejected`)
}

describe('the normalize protocol', () => {
  it('takes every default from the one table', () => {
    const normalized = normalizeSpec({ script: 'long-running.cjs' }, context)
    expect(normalized.watchDelay).toBe(SPEC_DEFAULTS.watchDelay)
    expect(normalized.killTimeout).toBe(SPEC_DEFAULTS.killTimeout)
    expect(normalized.namespace).toBe(SPEC_DEFAULTS.namespace)
    expect(SPEC_KEYS).toEqual(Object.keys(SPEC_DEFAULTS))
  })

  it('says what a duration looks like in one wording, for top-level and nested options alike', () => {
    for (const spec of [{ watchDelay: 'soon' }, { killTimeout: 'soon' }, { backoff: { resetAfter: 'soon' } }]) {
      expect(messageOf(spec)).toContain(`expected ${DURATION_FORM}, got "soon"`)
    }
  })

  it('rejects an unknown nested key the same way in every feature, with a hint', () => {
    expect(messageOf({ backoff: { maxDelya: 10 } })).toMatch(
      /^Invalid option "backoff\.maxDelya": unknown key; expected one of .*\(did you mean "maxDelay"\?\)$/,
    )
    expect(messageOf({ rotate: { maxSise: 10 } })).toMatch(
      /^Invalid option "rotate\.maxSise": unknown key; expected one of .*\(did you mean "maxSize"\?\)$/,
    )
  })

  it('names the app and the option in every failure', () => {
    const fields = new SpecFields({ name: 'api', watchDelay: -1 }, 'api')
    expect(() => fields.duration('watchDelay')).toThrow(/^Invalid option "watchDelay" of app "api": expected a duration/)
    expect(() => fields.integer('maxRestarts', 0, 1.5)).toThrow(/"maxRestarts" of app "api": expected an integer ≥ 0, got number 1.5/)
  })
})
