/**
 * How a block of whole lines is written to a file: as it came (the fast
 * path: the bytes from the pipe, no copy), with a timestamp before every
 * line, or as one JSON object per line.
 */
import type { NormalizedSpec } from '../types.js'
import { timestamper } from './date-format.js'

/** A decoded block: its text and its lines (without '\n' or a trailing '\r'). */
export interface DecodedBlock {
  readonly text: string
  readonly lines: readonly string[]
}

/** Turns a block (bytes ending in '\n') into what the file gets. `decode` is called at most once, and only when needed. */
export type BlockFormatter = (block: Buffer, decode: () => DecodedBlock, at: number) => Buffer | string

export function blockFormatter(spec: NormalizedSpec, id: number, stream: 'out' | 'err'): BlockFormatter {
  const stamp = spec.logDateFormat !== null || spec.time || spec.logType === 'json' ? timestamper(spec.logDateFormat) : null
  if (spec.logType === 'json') {
    const fields = `,"stream":"${stream}","name":${JSON.stringify(spec.name)},"id":${id},"message":`
    return (_block, decode, at) => {
      const head = `{"time":${JSON.stringify(stamp!(at))}${fields}`
      let out = ''
      for (const line of decode().lines) out += `${head}${JSON.stringify(line)}}\n`
      return out
    }
  }
  if (stamp === null) return (block) => block
  return (_block, decode, at) => {
    const prefix = `${stamp(at)} `
    const { text } = decode()
    // every line, and only lines: the block ends with '\n', so no prefix goes after it
    return prefix + text.slice(0, -1).split('\n').join(`\n${prefix}`) + '\n'
  }
}
