import { describe, expect, it, vi } from 'vitest'
import * as tend from '../src/errors.js'

/** A second, separate evaluation of src/errors.ts: its classes are other objects, as in another copy of tend. */
async function anotherCopy(): Promise<typeof tend> {
  vi.resetModules()
  const path = '../src/errors.js?copy'
  return (await import(/* @vite-ignore */ path)) as typeof tend
}

describe('error classes across copies of tend', () => {
  it('an error of one copy is instanceof the same class of another, and only of that class', async () => {
    const other = await anotherCopy()
    expect(other.NotFoundError).not.toBe(tend.NotFoundError)
    for (const [from, to] of [
      [other, tend],
      [tend, other],
    ] as const) {
      const error = new from.NotFoundError('nope')
      expect(error instanceof to.NotFoundError).toBe(true)
      expect(error instanceof to.TendError).toBe(true)
      expect(error instanceof to.ExistsError).toBe(false)
      expect(error instanceof to.SocketError).toBe(false)
    }
  })

  it('every class checks its own code', async () => {
    const other = await anotherCopy()
    const samples = [new other.InvalidArgumentError('x', 'bad'), new other.ClosedError(), new other.SocketError('/s', 'long')]
    expect(
      samples.map((error) => [
        error instanceof tend.InvalidArgumentError,
        error instanceof tend.ClosedError,
        error instanceof tend.SocketError,
      ]),
    ).toEqual([
      [true, false, false],
      [false, true, false],
      [false, false, true],
    ])
  })

  it('a look-alike without the brand is not a TendError', () => {
    const lookAlike = Object.assign(new Error('No process'), { code: 'TEND_ERR_NOT_FOUND' })
    expect(lookAlike instanceof tend.TendError).toBe(false)
    expect(lookAlike instanceof tend.NotFoundError).toBe(false)
    const notObjects: unknown[] = [null, undefined, 'TEND_ERR_NOT_FOUND', tend.NotFoundError, tend.NotFoundError.prototype]
    for (const value of notObjects) expect(value instanceof tend.NotFoundError).toBe(false)
  })

  it('a class of your own keeps the plain prototype check', () => {
    class Mine extends tend.NotFoundError {}
    expect(new Mine('x') instanceof tend.NotFoundError).toBe(true)
    expect(new Mine('x') instanceof Mine).toBe(true)
    expect(new tend.NotFoundError('x') instanceof Mine).toBe(false)
  })

  it('each class names its code statically', () => {
    expect(tend.NotFoundError.code).toBe('TEND_ERR_NOT_FOUND')
    expect(new tend.NotFoundError('x').code).toBe(tend.NotFoundError.code)
  })
})
