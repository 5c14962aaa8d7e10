import { describe, expect, it } from 'vitest'
import { blockLines, LineFramer } from '../../src/logs/line-framer.js'

/** The blocks a framer makes of these chunks, as text, ending with what end() gives. */
function frame(chunks: (string | Buffer)[], max?: number): string[] {
  const framer = new LineFramer(max)
  const blocks: string[] = []
  for (const chunk of chunks) {
    const block = framer.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk)
    if (block) blocks.push(block.toString())
  }
  const last = framer.end()
  if (last) blocks.push(last.toString())
  return blocks
}

describe('LineFramer', () => {
  it.each([
    [['a\nb\n'], ['a\nb\n']],
    [
      ['a', 'b\nc', '\n'],
      ['ab\n', 'c\n'],
    ],
    [['no newline'], ['no newline\n']],
    [['x\ny'], ['x\n', 'y\n']],
    [['\n\n'], ['\n\n']],
    [['par', 'tial', ''], ['partial\n']],
    [[], []],
  ])('%o → %o', (chunks, blocks) => expect(frame(chunks)).toEqual(blocks))

  it('keeps a UTF-8 character split across chunks whole', () => {
    const bytes = Buffer.from('héllo ✓\n')
    expect(frame([bytes.subarray(0, 2), bytes.subarray(2, 9), bytes.subarray(9)])).toEqual(['héllo ✓\n'])
  })

  it('cuts a line longer than the maximum, at a character boundary', () => {
    expect(frame(['abcdefgh'], 3)).toEqual(['abc\ndef\n', 'gh\n'])
    expect(frame(['aé', 'é'], 4)).toEqual(['aé\n', 'é\n'])
  })

  it('hands a block over without copying when a chunk ends with a newline', () => {
    const framer = new LineFramer()
    const chunk = Buffer.from('one\ntwo\n')
    expect(framer.push(chunk)).toBe(chunk)
  })
})

describe('blockLines', () => {
  it.each([
    ['a\nb\n', ['a', 'b']],
    ['crlf\r\nlf\n', ['crlf', 'lf']],
    ['\n', ['']],
  ])('%o → %o', (text, lines) => expect(blockLines(text)).toEqual(lines))
})
