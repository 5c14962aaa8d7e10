/**
 * Frames a byte stream into blocks of whole lines: each block ends with
 * '\n' and holds every line completed by one chunk. A chunk is not a line:
 * the bytes after a chunk's last newline wait for the next chunk, and are a
 * line of their own (with a '\n' added) when the stream ends. A line longer
 * than `maxLineLength` bytes is cut (at a UTF-8 character boundary) so a
 * child that never prints a newline cannot grow memory without bound.
 *
 * Working on bytes keeps the hot path to one `lastIndexOf` per chunk, and a
 * block can go to a file as it is. '\n' never occurs inside a multi-byte
 * UTF-8 sequence, so a block always decodes whole.
 */

import { isAscii } from 'node:buffer'

export const DEFAULT_MAX_LINE_LENGTH = 1024 * 1024
const NEWLINE = 0x0a
const NEWLINE_BUFFER = Buffer.from('\n')

export class LineFramer {
  readonly #maxLineLength: number
  #pending: Buffer[] = []
  #pendingBytes = 0

  constructor(maxLineLength = DEFAULT_MAX_LINE_LENGTH) {
    this.#maxLineLength = maxLineLength
  }

  /** The lines this chunk completes, as one block ending in '\n', or null when it completes none. */
  push(chunk: Buffer): Buffer | null {
    const last = chunk.lastIndexOf(NEWLINE)
    if (last === -1) {
      if (chunk.length === 0) return null
      this.#pending.push(chunk)
      this.#pendingBytes += chunk.length
      return this.#pendingBytes > this.#maxLineLength ? this.#cut() : null
    }
    let block = last === chunk.length - 1 ? chunk : chunk.subarray(0, last + 1)
    if (this.#pendingBytes > 0) {
      this.#pending.push(block)
      block = Buffer.concat(this.#pending, this.#pendingBytes + block.length)
    }
    this.#pending = []
    this.#pendingBytes = 0
    if (last + 1 < chunk.length) {
      const rest = chunk.subarray(last + 1)
      this.#pending.push(rest)
      this.#pendingBytes = rest.length
      if (this.#pendingBytes > this.#maxLineLength) return Buffer.concat([block, this.#cut()])
    }
    return block
  }

  /** The stream ended: a partial last line becomes a line. */
  end(): Buffer | null {
    if (this.#pendingBytes === 0) return null
    this.#pending.push(NEWLINE_BUFFER)
    const block = Buffer.concat(this.#pending, this.#pendingBytes + 1)
    this.#pending = []
    this.#pendingBytes = 0
    return block
  }

  /** Cuts the pending bytes into lines of at most maxLineLength, keeping the rest pending. */
  #cut(): Buffer {
    let rest = Buffer.concat(this.#pending, this.#pendingBytes)
    const lines: Buffer[] = []
    while (rest.length > this.#maxLineLength) {
      let at = this.#maxLineLength
      // back off to the start of a UTF-8 character (continuation bytes are 10xxxxxx)
      while (at > 0 && ((rest[at] ?? 0) & 0xc0) === 0x80) at--
      if (at === 0) at = this.#maxLineLength
      lines.push(rest.subarray(0, at), NEWLINE_BUFFER)
      rest = rest.subarray(at)
    }
    this.#pending = rest.length > 0 ? [rest] : []
    this.#pendingBytes = rest.length
    return Buffer.concat(lines)
  }
}

/**
 * A block of whole lines as it came from one read, decoded only when
 * something needs the text: a file with timestamps or JSON, a `log:*`
 * listener, or `logs()`. A raw file and the in-memory buffer need the bytes
 * alone, so a child nobody listens to costs no string work per line.
 */
export class OutputBlock {
  readonly bytes: Buffer
  readonly at: number
  #ascii: boolean | undefined
  #text: string | undefined
  #lines: readonly string[] | undefined

  constructor(bytes: Buffer, at: number) {
    this.bytes = bytes
    this.at = at
  }

  /** True when every byte is ASCII: then the text is one byte per character and encodes back as latin1, which is cheaper. */
  get ascii(): boolean {
    return (this.#ascii ??= isAscii(this.bytes))
  }

  get text(): string {
    return (this.#text ??= this.bytes.toString(this.ascii ? 'latin1' : 'utf8'))
  }

  /** The lines, without their '\n' or a trailing '\r'. */
  get lines(): readonly string[] {
    return (this.#lines ??= blockLines(this.text))
  }

  get decoded(): boolean {
    return this.#lines !== undefined
  }
}

/** How many lines a block (ending in '\n') holds. */
export function countLines(bytes: Buffer): number {
  let count = 0
  let at = bytes.indexOf(NEWLINE)
  while (at !== -1) {
    count++
    at = bytes.indexOf(NEWLINE, at + 1)
  }
  return count
}

/** The lines of a block (which ends in '\n'), without their '\n' or a trailing '\r'. */
export function blockLines(text: string): string[] {
  const lines = text.split('\n')
  lines.pop()
  if (text.includes('\r')) {
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i]!
      if (line.endsWith('\r')) lines[i] = line.slice(0, -1)
    }
  }
  return lines
}
