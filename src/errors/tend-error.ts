/**
 * Every error tend throws is a `TendError` with a stable `code`. Match on the
 * code (or use `instanceof`), never on the message: messages may improve.
 * All codes are listed in docs/errors.md, and a test keeps the two in step.
 */

/** The stable error codes, one per error class. */
export const ERROR_CODES = [
  'TEND_ERR_INVALID_SPEC',
  'TEND_ERR_INVALID_ARGUMENT',
  'TEND_ERR_NOT_FOUND',
  'TEND_ERR_EXISTS',
  'TEND_ERR_SPAWN',
  'TEND_ERR_DEPENDENCY',
  'TEND_ERR_READY_TIMEOUT',
  'TEND_ERR_CRASH_LOOP',
  'TEND_ERR_EXITED',
  'TEND_ERR_NO_IPC',
  'TEND_ERR_CLOSED',
  'TEND_ERR_LOG_FILE',
  'TEND_ERR_RPC',
  'TEND_ERR_RPC_TIMEOUT',
  'TEND_ERR_DAEMON',
  'TEND_ERR_DUMP',
  'TEND_ERR_LISTEN',
  'TEND_ERR_SOCKET',
  'TEND_ERR_CLI',
  'TEND_ERR_ACTION_UNKNOWN',
  'TEND_ERR_ACTION_TIMEOUT',
  'TEND_ERR_ACTION_FAILED',
] as const

export type ErrorCode = (typeof ERROR_CODES)[number]

/**
 * The mark every copy of tend puts on its errors. `Symbol.for` keys are shared
 * across realms and module instances, so the ESM and CommonJS builds, and two
 * installed copies of tend, all see the same brand.
 */
const TEND_ERROR_BRAND = Symbol.for('tend.error')

/** An error of some copy of tend (a prototype carries the brand as well, but no `code` of its own). */
function isBranded(value: unknown): value is { readonly code: unknown } {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as Record<symbol, unknown>)[TEND_ERROR_BRAND] === true &&
    Object.hasOwn(value, 'code')
  )
}

export class TendError extends Error {
  readonly code: ErrorCode

  /**
   * `instanceof` that holds across copies of tend (undici's way): an error
   * is a `TendError` when it carries tend's brand, and an instance of a
   * subclass when it also carries that class's `code`. A class of your own
   * that extends one of these (and declares no `code` of its own) keeps the
   * plain prototype check.
   */
  static override [Symbol.hasInstance](value: unknown): boolean {
    if (Function.prototype[Symbol.hasInstance].call(this, value)) return true
    if (!isBranded(value)) return false
    if (this === TendError) return true
    return Object.hasOwn(this, 'code') && (this as { readonly code?: unknown }).code === value.code
  }

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'TendError'
    this.code = code
  }

  /** The brand, on the prototype: an error rebuilt with Object.create(prototype) carries it too. */
  get [TEND_ERROR_BRAND](): true {
    return true
  }
}
