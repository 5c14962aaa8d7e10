/**
 * describe() over RPC with each app's spec once: the processes of an app
 * share one spec, and a spec with its environment is kilobytes, so
 * `describe('all')` of 2,000 processes repeated it 2,000 times on the wire.
 * The server answers `describeCompact` with the distinct specs and, per
 * process, the index of its spec; the client turns that back into the
 * ProcessDescription[] that describe() documents, the processes of one app
 * sharing one spec object, as they do in process. Plain `describe` stays on
 * the wire for clients that speak JSON-RPC by hand.
 */
import type { NormalizedSpec, ProcessDescription, ProcessInfo } from '../../types.js'

/** The RPC method that answers describe() with each spec once. */
export const DESCRIBE_COMPACT = 'describeCompact'

export interface CompactDescriptions {
  /** Each distinct spec once. */
  readonly specs: readonly NormalizedSpec[]
  /** The processes in describe()'s order; `spec` is an index into `specs`. */
  readonly processes: readonly (ProcessInfo & { readonly spec: number })[]
}

export function compactDescriptions(descriptions: readonly ProcessDescription[]): CompactDescriptions {
  const index = new Map<NormalizedSpec, number>()
  const specs: NormalizedSpec[] = []
  const processes = descriptions.map(({ spec, ...info }) => {
    let at = index.get(spec)
    if (at === undefined) {
      index.set(spec, (at = specs.length))
      specs.push(spec)
    }
    return { ...info, spec: at }
  })
  return { specs, processes }
}

export function expandDescriptions({ specs, processes }: CompactDescriptions): ProcessDescription[] {
  return processes.map((process) => ({ ...process, spec: specs[process.spec]! }))
}
