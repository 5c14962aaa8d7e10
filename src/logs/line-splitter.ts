/**
 * Frames a byte stream into lines: a chunk is not a line. UTF-8 sequences
 * split across chunks are kept whole, a trailing '\r' is dropped, a partial
 * last line waits for its end (or for `end()`), and a line longer than
 * `maxLineLength` is cut so a child that never prints a newline cannot grow
 * memory without bound.
 */
import { StringDecoder } from 'node:string_decoder'

export const DEFAULT_MAX_LINE_LENGTH = 1024 * 1024

export class LineSplitter {
  readonly #decoder = new StringDecoder('utf8')
  readonly #onLine: (line: string) => void
  readonly #maxLineLength: number
  #partial = ''

  constructor(onLine: (line: string) => void, maxLineLength = DEFAULT_MAX_LINE_LENGTH) {
    this.#onLine = onLine
    this.#maxLineLength = maxLineLength
  }

  push(chunk: Buffer | string): void {
    const text = this.#partial + (typeof chunk === 'string' ? chunk : this.#decoder.write(chunk))
    let start = 0
    let newline = text.indexOf('\n', start)
    while (newline !== -1) {
      this.#emit(text.slice(start, newline))
      start = newline + 1
      newline = text.indexOf('\n', start)
    }
    let rest = text.slice(start)
    while (rest.length > this.#maxLineLength) {
      this.#onLine(rest.slice(0, this.#maxLineLength))
      rest = rest.slice(this.#maxLineLength)
    }
    this.#partial = rest
  }

  /** The stream ended: a partial last line is a line. */
  end(): void {
    const rest = this.#partial + this.#decoder.end()
    this.#partial = ''
    if (rest.length > 0) this.#emit(rest)
  }

  #emit(line: string): void {
    this.#onLine(line.endsWith('\r') ? line.slice(0, -1) : line)
  }
}
