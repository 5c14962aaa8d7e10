/**
 * `logType: 'json'`: one JSON object per line. A line that is already a JSON
 * object (pino, bunyan, winston's JSON format) is merged, never wrapped in a
 * string: tend adds `time`, `app`, `instance`, `id` and `stream` in front of
 * the app's own fields, which keep their values where a name is the same
 * (pino's numeric `time`, say). Any other line becomes `{ …, message }`.
 */
import type { BlockFormatter } from './log-format.js'
import type { OutputBlock } from './line-framer.js'

export interface JsonLineFields {
  readonly app: string
  readonly instance: number
  readonly id: number
  readonly stream: 'out' | 'err'
}

const TEND_KEYS = ['time', 'app', 'instance', 'id', 'stream'] as const

/** The line as an object when it is a JSON object, else null. */
function asObject(trimmed: string): Record<string, unknown> | null {
  if (trimmed.length < 2 || trimmed.charCodeAt(0) !== 0x7b /* { */ || trimmed.charCodeAt(trimmed.length - 1) !== 0x7d /* } */) return null
  try {
    const parsed: unknown = JSON.parse(trimmed)
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : null
  } catch {
    return null
  }
}

export function jsonLinesFormatter(fields: JsonLineFields, stamp: (at: number) => string): BlockFormatter {
  const { app, instance, id, stream } = fields
  const head = `"app":${JSON.stringify(app)},"instance":${instance},"id":${id},"stream":"${stream}"`
  const line = (text: string, time: string): string => {
    const trimmed = text.trim()
    const object = asObject(trimmed)
    if (object === null) return `{"time":${time},${head},"message":${JSON.stringify(text)}}`
    const keys = Object.keys(object)
    if (keys.length === 0) return `{"time":${time},${head}}`
    // The fast path keeps the app's text as it was: tend's fields go in front of it.
    if (!TEND_KEYS.some((key) => Object.hasOwn(object, key))) return `{"time":${time},${head},${trimmed.slice(1)}`
    return JSON.stringify({ time: JSON.parse(time) as unknown, app, instance, id, stream, ...object })
  }
  return (block: OutputBlock) => {
    const time = JSON.stringify(stamp(block.at))
    let out = ''
    for (const text of block.lines) out += `${line(text, time)}\n`
    return Buffer.from(out)
  }
}
