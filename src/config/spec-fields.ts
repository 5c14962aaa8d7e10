/**
 * The one way a normalizer reads and rejects a field of a spec. Every
 * feature's validator (logs, restart, triggers) takes a SpecFields, so every
 * message follows one template: `Invalid option "x" of app "a": expected …,
 * got …`. Nested fields (`backoff.maxDelay`) pass their value and default.
 */
import { InvalidSpecError } from '../errors.js'
import { SPEC_DEFAULTS, type SpecOption } from './spec-defaults.js'
import { suggest } from './suggest.js'
import { parseDuration, parseSize } from './units.js'

/** What a duration looks like, said once for every duration option. */
export const DURATION_FORM = "a duration (ms as a number, or a string like '500ms', '2s', '1m')"

/** A value as a message shows it: short, typed, never the whole object. */
export function describeValue(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return `an array (${JSON.stringify(value).slice(0, 60)})`
  if (typeof value === 'string') return `"${value.length > 60 ? `${value.slice(0, 60)}…` : value}"`
  if (typeof value === 'object') return 'an object'
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return `${typeof value} ${value}`
  return typeof value
}

export class SpecFields {
  readonly #input: Readonly<Record<string, unknown>>
  /** The app's name as given (for messages), if it is a string. */
  readonly app: string | undefined

  constructor(input: Readonly<Record<string, unknown>>, app: string | undefined) {
    this.#input = input
    this.app = app
  }

  /** The value given for `option`, or its default from SPEC_DEFAULTS. */
  get(option: SpecOption): unknown {
    const value = this.#input[option]
    return value === undefined ? SPEC_DEFAULTS[option] : value
  }

  /** Whether the spec gives `option` at all (null counts as given). */
  given(option: SpecOption): boolean {
    return this.#input[option] !== undefined
  }

  /** Throws InvalidSpecError: what `option` expects, and what it got (`value`, by default the option's own). */
  fail(option: string, expected: string, value: unknown = this.#input[option]): never {
    return this.problem(option, `expected ${expected}, got ${describeValue(value)}`)
  }

  /** Throws InvalidSpecError with a message of its own for `option`. */
  problem(option: string, message: string): never {
    const where = this.app ? ` of app "${this.app}"` : ''
    throw new InvalidSpecError(`Invalid option "${option}"${where}: ${message}`, { option, app: this.app })
  }

  string(option: SpecOption, { optional = false } = {}): string | undefined {
    const value = this.get(option)
    if (value === undefined && optional) return undefined
    if (typeof value !== 'string' || value.trim() === '') this.fail(option, 'a non-empty string', value)
    return value
  }

  boolean(option: string, value: unknown = this.get(option as SpecOption)): boolean {
    if (typeof value !== 'boolean') this.fail(option, 'true or false', value)
    return value
  }

  integer(option: string, min: number, value: unknown = this.get(option as SpecOption)): number {
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min) this.fail(option, `an integer ≥ ${min}`, value)
    return value
  }

  duration(option: string, value: unknown = this.get(option as SpecOption)): number {
    return parseDuration(value) ?? this.fail(option, DURATION_FORM, value)
  }

  /** A size in bytes of at least `min`; `form` says what a size looks like for this option. */
  size(option: string, min: number, form: string, value: unknown = this.get(option as SpecOption)): number {
    const bytes = parseSize(value)
    if (bytes === undefined || bytes < min) return this.fail(option, form, value)
    return bytes
  }

  stringList(option: SpecOption): string[] {
    const value = this.get(option)
    if (typeof value === 'string') return value.split(/\s+/).filter(Boolean)
    if (Array.isArray(value) && value.every((item) => typeof item === 'string')) return [...value] as string[]
    return this.fail(option, 'an array of strings or one string', value)
  }

  /** A key of a nested object option (`backoff`, `rotate`) not among `known` is an error naming `option.key`, with a hint. */
  rejectUnknownKeys(option: string, value: Readonly<Record<string, unknown>>, known: readonly string[]): void {
    for (const key of Object.keys(value)) {
      if (known.includes(key)) continue
      const hint = suggest(key, known)
      this.problem(`${option}.${key}`, `unknown key; expected one of ${known.join(', ')}${hint ? ` (did you mean "${hint}"?)` : ''}`)
    }
  }
}
