import { describe, expect, it } from 'vitest'
import { OutputBlock } from '../../src/logs/line-framer.js'
import { OutputBuffer } from '../../src/logs/output-buffer.js'

const texts = (buffer: OutputBuffer, ids: number[], lines: number): string[] =>
  buffer.recent(ids, lines).map((line) => `${line.id}:${line.stream}:${line.line}`)

describe('OutputBuffer', () => {
  it('keeps the newest capacity lines per process across blocks, oldest first', () => {
    const buffer = new OutputBuffer(3)
    buffer.pushLines(1, 'a', 'out', ['1', '2'], 10)
    buffer.pushLines(1, 'a', 'err', ['3'], 11)
    buffer.pushLines(1, 'a', 'out', ['4', '5'], 12)
    expect(texts(buffer, [1], 100)).toEqual(['1:err:3', '1:out:4', '1:out:5'])
    expect(texts(buffer, [1], 2)).toEqual(['1:out:4', '1:out:5'])
    expect(buffer.recent([1], 1)[0]).toEqual({ id: 1, name: 'a', stream: 'out', line: '5', at: 12 })
  })

  it('keeps only the last capacity lines of a block bigger than capacity', () => {
    const buffer = new OutputBuffer(2)
    buffer.pushLines(1, 'a', 'out', ['1', '2', '3', '4'], 10)
    expect(texts(buffer, [1], 10)).toEqual(['1:out:3', '1:out:4'])
  })

  it('merges processes in arrival order, and forgets a process', () => {
    const buffer = new OutputBuffer(10)
    buffer.pushLines(1, 'a', 'out', ['a1', 'a2'], 10)
    buffer.pushLines(2, 'b', 'out', ['b1'], 10)
    buffer.push({ id: 1, name: 'a', stream: 'err', line: 'a3', at: 11 })
    expect(texts(buffer, [1, 2], 3)).toEqual(['1:out:a2', '2:out:b1', '1:err:a3'])
    buffer.forget(1)
    expect(texts(buffer, [1, 2], 10)).toEqual(['2:out:b1'])
  })

  it('drops old blocks as it goes, and keeps nothing with capacity 0', () => {
    const buffer = new OutputBuffer(5)
    for (let i = 0; i < 1000; i++) buffer.pushLines(1, 'a', 'out', [String(i)], i)
    expect(texts(buffer, [1], 10)).toEqual(['995', '996', '997', '998', '999'].map((n) => `1:out:${n}`))
    const none = new OutputBuffer(0)
    none.pushLines(1, 'a', 'out', ['x'], 0)
    expect(none.recent([1], 10)).toEqual([])
  })

  it('decodes a block only when asked, and keeps only what capacity allows of it', () => {
    const buffer = new OutputBuffer(3)
    const block = new OutputBlock(Buffer.from('a\nb\r\nc\nd\n'), 5)
    buffer.pushBlock(1, 'a', 'out', block)
    expect(block.decoded).toBe(false)
    buffer.pushBlock(1, 'a', 'err', new OutputBlock(Buffer.from('é\n'), 6))
    expect(texts(buffer, [1], 10)).toEqual(['1:out:c', '1:out:d', '1:err:é'])
    expect(block.decoded).toBe(true)
  })

  it('trims blocks past a megabyte and still answers with the newest lines', () => {
    const buffer = new OutputBuffer(3)
    const pad = 'x'.repeat(1000)
    for (let i = 0; i < 3000; i++) buffer.pushBlock(1, 'a', 'out', new OutputBlock(Buffer.from(`${i} ${pad}\n`), i))
    buffer.pushBlock(1, 'a', 'out', new OutputBlock(Buffer.from('last\n'), 3000))
    expect(buffer.recent([1], 10).map((line) => line.line.slice(0, 4))).toEqual(['2998', '2999', 'last'])
  })
})
