/**
 * Who holds a TCP port: the listening socket's inode from /proc/net/tcp and
 * tcp6, then the process with that inode among its fds (Linux). Best effort:
 * another user's processes cannot be read without root, and other systems
 * have no /proc, so the answer may be null.
 */
import { readdir, readFile, readlink } from 'node:fs/promises'
import { isIP } from 'node:net'
import type { PortHolder } from '../errors.js'

const LISTEN = '0A'
/** Enough to find the holder on a busy host, bounded so an error is never slow. */
const MAX_PROCESSES = 4096

/** The 32-bit words of /proc/net/tcp6 are in host byte order; this turns one line's address into text. */
function decodeAddress(hex: string): string {
  if (hex.length === 8) return [3, 2, 1, 0].map((i) => parseInt(hex.slice(i * 2, i * 2 + 2), 16)).join('.')
  const bytes: number[] = []
  for (let word = 0; word < 4; word++) {
    const chunk = hex.slice(word * 8, word * 8 + 8)
    for (const i of [3, 2, 1, 0]) bytes.push(parseInt(chunk.slice(i * 2, i * 2 + 2), 16))
  }
  const groups = Array.from({ length: 8 }, (_, i) => ((bytes[i * 2]! << 8) | bytes[i * 2 + 1]!).toString(16))
  const text = groups.join(':')
  return text.startsWith('0:0:0:0:0:ffff:') ? bytes.slice(12).join('.') : text
}

/** One spelling per address ('0:0:0:0:0:0:0:1' and '::1' alike). */
function canonical(host: string): string {
  return isIP(host) === 6 ? new URL(`http://[${host}]`).hostname.slice(1, -1) : host
}

function sameHost(wanted: string | null, found: string): boolean {
  if (wanted === null || wanted === '0.0.0.0' || wanted === '::') return true
  const address = canonical(found)
  return address === '0.0.0.0' || address === '::' || address === canonical(wanted)
}

async function listeningInodes(host: string | null, port: number): Promise<Set<string>> {
  const inodes = new Set<string>()
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text: string
    try {
      text = await readFile(table, 'utf8')
    } catch {
      continue
    }
    for (const line of text.split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/)
      if (fields.length < 10 || fields[3] !== LISTEN) continue
      const [addressHex, portHex] = fields[1]!.split(':')
      if (parseInt(portHex!, 16) !== port) continue
      if (sameHost(host, decodeAddress(addressHex!))) inodes.add(fields[9]!)
    }
  }
  return inodes
}

async function commandOf(pid: string): Promise<string> {
  try {
    const cmdline = (await readFile(`/proc/${pid}/cmdline`, 'utf8')).split('\0').filter(Boolean).join(' ')
    if (cmdline) return cmdline.length > 200 ? `${cmdline.slice(0, 200)}…` : cmdline
    return (await readFile(`/proc/${pid}/comm`, 'utf8')).trim()
  } catch {
    return 'unknown'
  }
}

/** The process holding a listening socket on host:port, when it can be found. */
export async function findPortHolder(host: string | null, port: number): Promise<PortHolder | null> {
  if (process.platform !== 'linux') return null
  const inodes = await listeningInodes(host, port)
  if (inodes.size === 0) return null
  const wanted = new Set([...inodes].map((inode) => `socket:[${inode}]`))
  let pids: string[]
  try {
    pids = (await readdir('/proc')).filter((name) => /^\d+$/.test(name)).slice(0, MAX_PROCESSES)
  } catch {
    return null
  }
  for (const pid of pids) {
    let fds: string[]
    try {
      fds = await readdir(`/proc/${pid}/fd`)
    } catch {
      continue // gone, or not ours to read
    }
    for (const fd of fds) {
      try {
        if (wanted.has(await readlink(`/proc/${pid}/fd/${fd}`))) return { pid: Number(pid), command: await commandOf(pid) }
      } catch {
        // closed meanwhile
      }
    }
  }
  return null
}
