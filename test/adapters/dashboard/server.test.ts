import { describe, expect, it } from 'vitest'
import { serveDashboard, type ProcessRow } from '../../../src/adapters/dashboard/server.js'
import { supervisorSource } from '../../../src/adapters/dashboard/source.js'
import { recordHistory } from '../../../src/metrics/history.js'
import { fixture, nextEvent, onCleanup, supervisor, until } from '../../helpers.js'

async function dashboardOf(options: { metricsInterval?: number } = {}) {
  const sup = supervisor({ metricsInterval: options.metricsInterval ?? 0 })
  const recorded = recordHistory(sup)
  onCleanup(() => recorded.stop())
  const server = await serveDashboard({ source: supervisorSource(sup, recorded.history), port: 0 })
  onCleanup(() => server.close())
  const base = server.url.replace(/\/\?token=.*$/, '')
  const get = (path: string, headers: Record<string, string> = {}) =>
    fetch(`${base}${path}`, { headers: { 'x-tend-token': server.token, ...headers } })
  const post = (body: unknown) =>
    fetch(`${base}/api/action`, { method: 'POST', headers: { 'x-tend-token': server.token }, body: JSON.stringify(body) })
  return { sup, server, base, get, post }
}

/** Reads an SSE stream into parsed events until `done` says stop. */
async function readEvents(
  response: Response,
  done: (events: { id?: string; event: string; data: unknown }[]) => boolean,
): Promise<{ id?: string; event: string; data: unknown }[]> {
  const events: { id?: string; event: string; data: unknown }[] = []
  const reader = response.body!.getReader()
  const decoder = new TextDecoder()
  let buffer = ''
  try {
    while (!done(events)) {
      const { value, done: ended } = await reader.read()
      if (ended) break
      buffer += decoder.decode(value, { stream: true })
      let end: number
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end)
        buffer = buffer.slice(end + 2)
        const fields = Object.fromEntries(
          block
            .split('\n')
            .filter((line) => !line.startsWith(':') && line.includes(': '))
            .map((line) => [line.slice(0, line.indexOf(': ')), line.slice(line.indexOf(': ') + 2)]),
        )
        if (fields.event) events.push({ id: fields.id, event: fields.event, data: JSON.parse(fields.data ?? 'null') })
      }
    }
  } finally {
    await reader.cancel()
  }
  return events
}

describe('dashboard server', { timeout: 60_000 }, () => {
  it('refuses every request without the token with a 401, on loopback by default', async () => {
    const { server, base } = await dashboardOf()
    expect(server.host).toBe('127.0.0.1')
    expect(server.loopback).toBe(true)
    expect(server.token.length).toBeGreaterThanOrEqual(32)
    for (const path of [
      '/',
      '/assets/dashboard.js',
      '/assets/uPlot.iife.min.js',
      '/api/state',
      '/api/events',
      `/?token=${server.token}x`,
    ]) {
      expect((await fetch(`${base}${path}`)).status, path).toBe(401)
    }
    expect((await fetch(`${base}/api/action`, { method: 'POST', body: '{"action":"stop","target":"all"}' })).status).toBe(401)
    expect((await fetch(`${base}/api/state`, { headers: { authorization: `Bearer ${server.token}` } })).status).toBe(200)
    const page = await fetch(server.url)
    expect(page.status).toBe(200)
    const html = await page.text()
    expect(html).toContain(`content="${server.token}"`)
    expect(page.headers.get('content-security-policy')).toContain("default-src 'self'")
  })

  it('serves the processes, their logs and history, and acts on them; bad actions get a typed 4xx', async () => {
    const { sup, get, post } = await dashboardOf({ metricsInterval: 200 })
    await sup.start({ name: 'talker', script: fixture('say-on-signal.cjs'), instances: 2 })
    await nextEvent(sup, 'metrics')
    const state = (await (await get('/api/state')).json()) as { processes: ProcessRow[]; lastEventId: string }
    expect(state.processes.map((row) => [row.name, row.instance, row.status])).toEqual([
      ['talker', 0, 'online'],
      ['talker', 1, 'online'],
    ])
    expect(state.processes[0]).not.toHaveProperty('spec')
    await until(() => sup.logs('talker').length >= 2)
    const logs = (await (await get('/api/logs?target=talker&lines=10')).json()) as { line: string }[]
    expect(logs.map((line) => line.line)).toEqual(['ready', 'ready'])
    const history = (await (await get('/api/history')).json()) as { series: { name: string }[] }
    expect(history.series.map((series) => series.name)).toEqual(['talker', 'talker'])

    const id = state.processes[0]!.id
    const restarted = (await (await post({ action: 'restart', target: id })).json()) as { processes: ProcessRow[] }
    expect(restarted.processes).toMatchObject([{ id, restarts: 1, status: 'online' }])
    const scaled = await post({ action: 'scale', target: 'talker', delta: 1 })
    expect(scaled.status).toBe(200)
    expect(sup.list()).toHaveLength(3)

    const bad = [
      [{ action: 'explode', target: 1 }, 400, 'TEND_ERR_INVALID_ARGUMENT'],
      [{ action: 'scale', target: 'talker', delta: 5 }, 400, 'TEND_ERR_INVALID_ARGUMENT'],
      [{ action: 'signal', target: id, signal: 'rm -rf' }, 400, 'TEND_ERR_INVALID_ARGUMENT'],
      [{ action: 'restart', target: 'nobody' }, 404, 'TEND_ERR_NOT_FOUND'],
    ] as const
    for (const [body, status, code] of bad) {
      const response = await post(body)
      expect(response.status, JSON.stringify(body)).toBe(status)
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe(code)
    }
    expect((await get('/api/history?since=-5')).status).toBe(400)
    expect((await get('/api/nothing')).status).toBe(404)
    expect(sup.list().every((info) => info.status === 'online')).toBe(true)
  })

  it('streams events, and after a reconnect with Last-Event-ID sends what was missed; an unknown id gets a reset', async () => {
    const { sup, get } = await dashboardOf()
    const [info] = await sup.start({ name: 'talker', script: fixture('say-on-signal.cjs') })
    // The handlers are in place once it has said so.
    await until(() => sup.logs('talker').some((line) => line.line === 'ready'))
    const first = await get('/api/events')
    expect(first.headers.get('content-type')).toContain('text/event-stream')
    // Every 'ping N' the child prints, in order. A SIGUSR2 whose line has not come within 5 s is sent
    // again: on Node 24 under CI load one went unanswered once (cause not found), and standard signals
    // do not queue, so the test goes by the lines that did come, not by how many signals it sent.
    const pings: string[] = []
    sup.on('log:out', (event) => {
      if (event.process.name === 'talker' && event.line.startsWith('ping ')) pings.push(event.line)
    })
    const ping = async (): Promise<void> => {
      const before = pings.length
      for (let attempt = 1; ; attempt++) {
        await sup.signal('talker', 'SIGUSR2')
        const came = await until(() => pings.length > before, { timeout: 5_000 }).then(
          () => true,
          () => false,
        )
        if (came) return
        if (attempt === 4) throw new Error(`no ping line after ${attempt} SIGUSR2`)
      }
    }
    await ping()
    // The stream may also carry the 'ready' line, if its event came after the connection: go by the ping's.
    const isPing = (event: { event?: string; data?: unknown }): boolean =>
      event.event === 'log' && (event.data as { line?: string }).line === pings[0]
    const seen = await readEvents(first, (events) => events.some(isPing))
    const lastSeen = seen.find(isPing)!
    expect(lastSeen.data).toMatchObject({ id: info!.id, name: 'talker', stream: 'out', line: pings[0] })

    // While nobody listens, more lines come (one signal at a time).
    await ping()
    await ping()
    const missedLines = pings.slice(1)
    const again = await get('/api/events', { 'last-event-id': lastSeen.id! })
    const missed = await readEvents(again, (events) => events.filter((event) => event.event === 'log').length >= missedLines.length)
    expect(
      missed
        .filter((event) => event.event === 'log')
        .map((event) => (event.data as { line: string }).line)
        .slice(0, missedLines.length),
    ).toEqual(missedLines)

    const stale = await get('/api/events', { 'last-event-id': 'abcdef01-3' })
    expect((await readEvents(stale, (events) => events.length > 0))[0]!.event).toBe('reset')
  })

  it('closes its streams and its port on close()', async () => {
    const { server, get, base } = await dashboardOf()
    const stream = await get('/api/events')
    await until(() => server.streams === 1)
    const ended = readEvents(stream, () => false)
    await server.close()
    await ended
    expect(server.streams).toBe(0)
    await expect(fetch(`${base}/`)).rejects.toThrow()
  })
})
