/**
 * How a block of whole lines is written to a file: as it came (the fast
 * path: the bytes from the pipe, no copy, no decoding), with a timestamp
 * before every line, or as one JSON object per line (json-lines.ts).
 */
import type { NormalizedSpec } from '../types.js'
import { timestamper } from './date-format.js'
import type { OutputBlock } from './line-framer.js'
import { jsonLinesFormatter } from './json-lines.js'

/** What a file gets for a block. */
export type BlockFormatter = (block: OutputBlock) => Buffer

export function blockFormatter(spec: NormalizedSpec, id: number, stream: 'out' | 'err', instance = 0): BlockFormatter {
  const stamp = spec.logDateFormat !== null || spec.time || spec.logType === 'json' ? timestamper(spec.logDateFormat) : null
  if (spec.logType === 'json') return jsonLinesFormatter({ app: spec.name, instance, id, stream }, stamp!)
  if (stamp === null) return (block) => block.bytes
  return (block) => {
    const prefix = `${stamp(block.at)} `
    // every line, and only lines: the block ends with '\n', so no prefix goes after the last one
    // ('$' is special in a replacement string; '$$' stands for one)
    const text = prefix + block.text.slice(0, -1).replaceAll('\n', `\n${prefix.replaceAll('$', '$$$$')}`) + '\n'
    return Buffer.from(text, block.ascii && isOneByte(prefix) ? 'latin1' : 'utf8')
  }
}

function isOneByte(text: string): boolean {
  // eslint-disable-next-line no-control-regex
  return /^[\x00-\x7f]*$/.test(text)
}
