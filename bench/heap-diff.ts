/**
 * What grew between two heap snapshots, by constructor: the count and the
 * shallow size of the objects of each kind (a closure is counted under its
 * function's name, a string under "(string)"), after minus before, largest
 * first; with `per`, divided by it (say, the number of processes added).
 *
 *   node --import tsx bench/heap-diff.ts before.heapsnapshot after.heapsnapshot [per=1] [rows=40]
 *
 * bench/fixtures/memory-host.ts --snapshot=DIR writes such a pair.
 */
import { readFileSync } from 'node:fs'

interface Snapshot {
  snapshot: { meta: { node_fields: string[]; node_types: [string[], ...unknown[]] } }
  nodes: number[]
  strings: string[]
}

interface Kind {
  count: number
  size: number
}

/** Count and shallow size of the objects of each kind in one snapshot. */
export function kindsOf(path: string): Map<string, Kind> {
  const { snapshot, nodes, strings } = JSON.parse(readFileSync(path, 'utf8')) as Snapshot
  const fields = snapshot.meta.node_fields
  const types = snapshot.meta.node_types[0]
  const width = fields.length
  const typeAt = fields.indexOf('type')
  const nameAt = fields.indexOf('name')
  const sizeAt = fields.indexOf('self_size')
  const kinds = new Map<string, Kind>()
  for (let i = 0; i < nodes.length; i += width) {
    const type = types[nodes[i + typeAt]!]!
    const name = strings[nodes[i + nameAt]!]!
    const key =
      type === 'object' || type === 'closure' || type === 'native'
        ? `${name} (${type})`
        : type === 'string' || type === 'concatenated string' || type === 'sliced string'
          ? '(string)'
          : type === 'hidden' || type === 'array' || type === 'code'
            ? `${name.slice(0, 60)} (${type})`
            : `(${type})`
    const kind = kinds.get(key) ?? { count: 0, size: 0 }
    kind.count++
    kind.size += nodes[i + sizeAt]!
    kinds.set(key, kind)
  }
  return kinds
}

const invokedDirectly = process.argv[1]?.endsWith('heap-diff.ts')
if (invokedDirectly) {
  const [beforePath, afterPath, perArg, rowsArg] = process.argv.slice(2)
  if (!beforePath || !afterPath) throw new Error('usage: heap-diff.ts before.heapsnapshot after.heapsnapshot [per] [rows]')
  const per = Number(perArg ?? 1)
  const before = kindsOf(beforePath)
  const after = kindsOf(afterPath)
  const grown = [...after].map(([key, kind]) => {
    const was = before.get(key) ?? { count: 0, size: 0 }
    return { key, count: (kind.count - was.count) / per, size: (kind.size - was.size) / per }
  })
  grown.sort((a, b) => b.size - a.size)
  const total = grown.reduce((sum, row) => sum + row.size, 0)
  console.log(`total shallow growth: ${(total / 1024).toFixed(2)} KiB${per === 1 ? '' : ' per unit'}`)
  for (const row of grown.slice(0, Number(rowsArg ?? 40))) {
    console.log(`${row.size.toFixed(0).padStart(9)} B  ${row.count.toFixed(2).padStart(8)}  ${row.key}`)
  }
}
