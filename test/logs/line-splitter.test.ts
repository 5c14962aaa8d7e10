import { describe, expect, it } from 'vitest'
import { LineSplitter } from '../../src/logs/line-splitter.js'
import { RingBuffer } from '../../src/logs/ring-buffer.js'

function split(chunks: (string | Buffer)[], max?: number): string[] {
  const lines: string[] = []
  const splitter = new LineSplitter((line) => lines.push(line), max)
  for (const chunk of chunks) splitter.push(chunk)
  splitter.end()
  return lines
}

describe('LineSplitter', () => {
  it.each([
    [['a\nb\n'], ['a', 'b']],
    [['a', 'b\nc', '\n'], ['ab', 'c']],
    [['no newline'], ['no newline']],
    [['crlf\r\n'], ['crlf']],
    [['\n\n'], ['', '']],
    [[], []],
  ])('%o → %o', (chunks, lines) => expect(split(chunks)).toEqual(lines))

  it('keeps a UTF-8 character split across chunks whole', () => {
    const bytes = Buffer.from('héllo ✓\n')
    expect(split([bytes.subarray(0, 2), bytes.subarray(2, 9), bytes.subarray(9)])).toEqual(['héllo ✓'])
  })

  it('cuts a line longer than the maximum', () => {
    expect(split(['abcdefgh'], 3)).toEqual(['abc', 'def', 'gh'])
  })
})

describe('RingBuffer', () => {
  it('keeps the newest items, oldest first', () => {
    const ring = new RingBuffer<number>(3)
    for (let i = 0; i < 5; i++) ring.push(i)
    expect(ring.last()).toEqual([2, 3, 4])
    expect(ring.last(2)).toEqual([3, 4])
    expect(ring.size).toBe(3)
  })
})
