// The tend dashboard page: the process table, CPU and memory charts (uPlot),
// the log tail and the actions, kept live by one Server-Sent Events stream.
// Plain browser JavaScript, no build step: it ships as it is.
/* global uPlot */
;(() => {
  'use strict'
  const token = decodeURIComponent(document.querySelector('meta[name="tend-token"]').content)
  const HOUR = 3600_000
  const MAX_LOG_LINES = 1000
  const COLORS = ['#4fa3ff', '#3fb950', '#d29922', '#f85149', '#a371f7', '#39c5cf', '#ff7b72', '#e3b341', '#7ee787', '#79c0ff']

  const $ = (selector) => document.querySelector(selector)
  const state = {
    processes: new Map(), // id → row
    selected: null,
    sort: { key: 'id', reverse: false },
    filter: '',
    history: { at: [], byId: new Map() }, // byId: id → { name, cpu: [], memory: [] }, aligned with at
    logs: [],
    logPaused: false,
    lastEventId: null,
  }

  // ---- formatting
  const bytes = (n) => {
    if (!n) return '0 B'
    const units = ['B', 'KB', 'MB', 'GB']
    let i = 0
    while (n >= 1024 && i < units.length - 1) {
      n /= 1024
      i++
    }
    return `${n >= 10 || i === 0 ? Math.round(n) : n.toFixed(1)} ${units[i]}`
  }
  const duration = (ms) => {
    if (!ms || ms < 0) return '0'
    const s = Math.floor(ms / 1000)
    if (s < 60) return `${s}s`
    if (s < 3600) return `${Math.floor(s / 60)}m`
    if (s < 86400) return `${Math.floor(s / 3600)}h`
    return `${Math.floor(s / 86400)}d`
  }
  const escape = (text) => String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)
  const uptime = (p) => (p.status === 'online' && p.startedAt ? Date.now() - p.startedAt : 0)
  const health = (p) => (p.health && typeof p.health === 'object' ? (p.health.status ?? (p.health.ready ? 'ready' : '')) : '')

  // ---- API
  async function api(path, options = {}) {
    const response = await fetch(path, {
      ...options,
      headers: { 'x-tend-token': token, 'content-type': 'application/json', ...options.headers },
    })
    const body = await response.json().catch(() => null)
    if (!response.ok) throw new Error(body?.error ? `${body.error.message} (${body.error.code})` : `HTTP ${response.status}`)
    return body
  }

  let noticeTimer = null
  function notice(text, error = false) {
    const el = $('#notice')
    el.textContent = text
    el.className = error ? 'error' : ''
    el.hidden = false
    clearTimeout(noticeTimer)
    noticeTimer = setTimeout(() => (el.hidden = true), error ? 8000 : 3000)
  }

  async function act(action) {
    try {
      await api('/api/action', { method: 'POST', body: JSON.stringify(action) })
      notice(`${action.action} ${action.target}${action.delta ? (action.delta > 0 ? ' +1' : ' -1') : ''}: done`)
    } catch (error) {
      notice(`${action.action} ${action.target} failed: ${error.message}`, true)
    }
    scheduleRefresh()
  }

  // ---- process table
  let tableQueued = false
  function renderTable() {
    if (tableQueued) return
    tableQueued = true
    requestAnimationFrame(() => {
      tableQueued = false
      drawTable()
    })
  }

  function sortValue(p, key) {
    if (key === 'uptime') return uptime(p)
    if (key === 'health') return health(p)
    return p[key] ?? -1
  }

  function visibleProcesses() {
    const filter = state.filter.toLowerCase()
    const rows = [...state.processes.values()].filter(
      (p) => !filter || `${p.id} ${p.name} ${p.namespace} ${p.status} ${health(p)}`.toLowerCase().includes(filter),
    )
    const { key, reverse } = state.sort
    rows.sort((a, b) => {
      const x = sortValue(a, key)
      const y = sortValue(b, key)
      const order = typeof x === 'string' || typeof y === 'string' ? String(x).localeCompare(String(y)) : x - y
      return (reverse ? -order : order) || a.id - b.id
    })
    return rows
  }

  /** The rows on the page, by process id (drawTable). */
  const rowElements = new Map()
  const ROW_CELLS = `<td class="id"></td><td class="name"></td><td class="mode"></td><td class="pid"></td>
<td class="status"></td><td class="health"></td><td class="restarts"></td><td class="uptime"></td>
<td class="cpu"></td><td class="memory"></td>
<td class="actions">
<button type="button" data-action="restart" title="restart">restart</button><button type="button" data-action="reload" title="reload with zero downtime">reload</button><button type="button" data-action="stop">stop</button><button type="button" data-action="scale-down" title="one instance fewer">−</button><button type="button" data-action="scale-up" title="one instance more">+</button><button type="button" data-action="signal" title="send a signal">signal</button><button type="button" class="danger" data-action="delete">delete</button>
</td>`

  function drawTable() {
    const rows = visibleProcesses()
    const perApp = new Map()
    for (const p of state.processes.values()) perApp.set(p.name, (perApp.get(p.name) ?? 0) + 1)
    const names = new Set(perApp.keys())
    $('#summary').textContent = `${state.processes.size} processes, ${names.size} apps`
    $('#empty').hidden = state.processes.size > 0
    // Health comes with probes: the column shows only when some process reports it.
    $('#processes').classList.toggle('no-health', ![...state.processes.values()].some((p) => health(p)))
    for (const th of document.querySelectorAll('th[data-sort]')) {
      th.classList.toggle('sorted', th.dataset.sort === state.sort.key)
      th.classList.toggle('reverse', th.dataset.sort === state.sort.key && state.sort.reverse)
    }
    // One <tr> per process, kept across updates and changed cell by cell: a row rebuilt on every tick would
    // swap the button under a pointer between its mousedown and its mouseup, and the click would be lost.
    const tbody = $('#processes tbody')
    const shown = new Set()
    let previous = null
    for (const p of rows) {
      let tr = rowElements.get(p.id)
      if (!tr) {
        tr = document.createElement('tr')
        tr.dataset.id = String(p.id)
        tr.innerHTML = ROW_CELLS
        rowElements.set(p.id, tr)
      }
      fillRow(tr, p, perApp.get(p.name) > 1)
      const expected = previous ? previous.nextSibling : tbody.firstChild
      if (expected !== tr) tbody.insertBefore(tr, expected)
      previous = tr
      shown.add(p.id)
    }
    for (const [id, tr] of rowElements) {
      if (shown.has(id)) continue
      tr.remove()
      if (!state.processes.has(id)) rowElements.delete(id)
    }
  }

  /** Sets what changed in a row, and nothing else. */
  function fillRow(tr, p, numbered) {
    const className = p.id === state.selected ? 'selected' : ''
    if (tr.className !== className) tr.className = className
    const text = (selector, value) => {
      const cell = tr.querySelector(selector)
      if (cell.textContent !== value) cell.textContent = value
      return cell
    }
    text('td.id', String(p.id))
    const name = tr.querySelector('td.name')
    const html = `${escape(p.name)}${numbered ? `<span class="muted">#${p.instance}</span>` : ''}`
    if (name.dataset.html !== html) {
      name.innerHTML = html
      name.dataset.html = html
    }
    text('td.mode', p.mode)
    text('td.pid', String(p.pid ?? '-'))
    const status = text('td.status', p.status)
    if (status.className !== `status status-${p.status}`) status.className = `status status-${p.status}`
    text('td.health', health(p))
    text('td.restarts', String(p.restarts))
    text('td.uptime', duration(uptime(p)))
    text('td.cpu', `${Math.round(p.cpu)}%`)
    text('td.memory', bytes(p.memory))
  }

  $('#processes tbody').addEventListener('click', (event) => {
    const row = event.target.closest('tr[data-id]')
    if (!row) return
    const id = Number(row.dataset.id)
    const p = state.processes.get(id)
    const button = event.target.closest('button[data-action]')
    if (!button) {
      select(state.selected === id ? null : id)
      return
    }
    if (!p) return
    const action = button.dataset.action
    if (action === 'scale-up' || action === 'scale-down')
      return act({ action: 'scale', target: p.name, delta: action === 'scale-up' ? 1 : -1 })
    if (action === 'signal') {
      const signal = prompt(`Signal to send to ${p.name} #${p.id}`, 'SIGUSR2')
      if (signal) act({ action: 'signal', target: id, signal: signal.trim().toUpperCase() })
      return
    }
    if (action === 'delete' && !confirm(`Delete ${p.name} #${p.id}? It is stopped and forgotten.`)) return
    act({ action, target: id })
  })

  for (const th of document.querySelectorAll('th[data-sort]')) {
    th.addEventListener('click', () => {
      const key = th.dataset.sort
      state.sort = { key, reverse: state.sort.key === key ? !state.sort.reverse : false }
      renderTable()
    })
  }
  $('#filter').addEventListener('input', (event) => {
    state.filter = event.target.value
    renderTable()
  })

  function select(id) {
    state.selected = id
    const p = id === null ? null : state.processes.get(id)
    $('#log-target').textContent = p ? `${p.name} #${p.id}` : 'all processes'
    renderTable()
    renderLogs()
    renderCharts(true)
  }

  // ---- charts
  const charts = { cpu: null, memory: null, key: '' }

  function chartSeries() {
    const { at, byId } = state.history
    const by = $('#chart-by').value
    if (by === 'process' || by === 'selected') {
      const ids = by === 'selected' ? (state.selected === null ? [] : [state.selected]) : [...byId.keys()].sort((a, b) => a - b)
      return ids.filter((id) => byId.has(id)).map((id) => ({ label: `${byId.get(id).name} #${id}`, ...byId.get(id) }))
    }
    const apps = new Map()
    for (const [, s] of byId) {
      let sum = apps.get(s.name)
      if (!sum) apps.set(s.name, (sum = { label: s.name, cpu: at.map(() => null), memory: at.map(() => null) }))
      for (let i = 0; i < at.length; i++) {
        if (s.cpu[i] !== null && s.cpu[i] !== undefined) sum.cpu[i] = (sum.cpu[i] ?? 0) + s.cpu[i]
        if (s.memory[i] !== null && s.memory[i] !== undefined) sum.memory[i] = (sum.memory[i] ?? 0) + s.memory[i]
      }
    }
    return [...apps.values()].sort((a, b) => a.label.localeCompare(b.label))
  }

  function makeChart(el, title, series, format) {
    el.innerHTML = ''
    return new uPlot(
      {
        title,
        width: Math.max(300, el.clientWidth),
        height: 220,
        scales: { x: { time: true } },
        legend: { show: series.length <= 12 },
        series: [
          {},
          ...series.map((s, i) => ({
            label: s.label,
            stroke: COLORS[i % COLORS.length],
            width: 1.5,
            spanGaps: false,
            value: (u, v) => (v === null ? '-' : format(v)),
          })),
        ],
        axes: [
          { stroke: '#8592a3', grid: { stroke: '#2a323c' } },
          { stroke: '#8592a3', grid: { stroke: '#2a323c' }, size: 70, values: (u, values) => values.map(format) },
        ],
      },
      [[], ...series.map(() => [])],
      el,
    )
  }

  let chartsQueued = false
  function renderCharts(rebuild = false) {
    if (typeof uPlot === 'undefined') return
    if (chartsQueued && !rebuild) return
    chartsQueued = true
    requestAnimationFrame(() => {
      chartsQueued = false
      const series = chartSeries()
      const key = `${$('#chart-by').value}|${series.map((s) => s.label).join(',')}`
      if (rebuild || key !== charts.key || !charts.cpu) {
        charts.cpu?.destroy()
        charts.memory?.destroy()
        charts.cpu = makeChart($('#cpu-chart'), 'CPU (% of one core)', series, (v) => `${Math.round(v * 10) / 10}%`)
        charts.memory = makeChart($('#memory-chart'), 'Memory (resident)', series, bytes)
        charts.key = key
      }
      const x = state.history.at.map((t) => t / 1000)
      charts.cpu.setData([x, ...series.map((s) => s.cpu)])
      charts.memory.setData([x, ...series.map((s) => s.memory)])
    })
  }
  $('#chart-by').addEventListener('change', () => renderCharts(true))
  window.addEventListener('resize', () => {
    for (const [el, chart] of [
      [$('#cpu-chart'), charts.cpu],
      [$('#memory-chart'), charts.memory],
    ])
      chart?.setSize({ width: Math.max(300, el.clientWidth), height: 220 })
  })

  function loadHistory(answer) {
    const byId = new Map()
    for (const s of answer?.series ?? []) byId.set(s.id, { name: s.name, cpu: s.cpu, memory: s.memory })
    state.history = { at: answer?.at ?? [], byId }
  }

  function addSample(sample) {
    const { history } = state
    const index = history.at.length
    history.at.push(sample.at)
    const seen = new Set()
    for (const { id, cpu, memory } of sample.processes) {
      let s = history.byId.get(id)
      if (!s)
        history.byId.set(
          id,
          (s = {
            name: state.processes.get(id)?.name ?? String(id),
            cpu: new Array(index).fill(null),
            memory: new Array(index).fill(null),
          }),
        )
      s.cpu.push(cpu)
      s.memory.push(memory)
      seen.add(id)
      const p = state.processes.get(id)
      if (p) Object.assign(p, { cpu, memory })
    }
    for (const [id, s] of history.byId) {
      if (seen.has(id)) continue
      s.cpu.push(null)
      s.memory.push(null)
    }
    // Keep one hour.
    let drop = 0
    while (drop < history.at.length && history.at[drop] < sample.at - HOUR) drop++
    if (drop > 0) {
      history.at.splice(0, drop)
      for (const s of history.byId.values()) {
        s.cpu.splice(0, drop)
        s.memory.splice(0, drop)
      }
    }
    renderCharts()
    renderTable()
  }

  // ---- logs
  const logFilter = () => {
    const text = $('#log-filter').value
    const regex = /^\/(.+)\/([a-z]*)$/.exec(text)
    if (regex) {
      try {
        const re = new RegExp(regex[1], regex[2])
        return (line) => re.test(line)
      } catch {
        return () => true
      }
    }
    const lower = text.toLowerCase()
    return (line) => !lower || line.toLowerCase().includes(lower)
  }
  const logWanted = (entry, matches = logFilter()) => {
    const stream = $('#log-stream').value
    if (stream !== 'both' && entry.stream !== stream) return false
    if ($('#log-selected').checked && state.selected !== null && entry.id !== state.selected) return false
    return matches(entry.line)
  }
  const logHtml = (entry) =>
    `<span class="line ${entry.stream}"><span class="who">${escape(entry.name)}#${entry.id} ${new Date(entry.at).toLocaleTimeString()}</span> ${escape(entry.line)}</span>\n`

  function renderLogs() {
    const matches = logFilter()
    const el = $('#log')
    el.innerHTML = state.logs
      .filter((entry) => logWanted(entry, matches))
      .map(logHtml)
      .join('')
    el.scrollTop = el.scrollHeight
  }

  function addLog(entry) {
    state.logs.push(entry)
    if (state.logs.length > MAX_LOG_LINES) state.logs.splice(0, state.logs.length - MAX_LOG_LINES)
    if (state.logPaused || !logWanted(entry)) return
    const el = $('#log')
    const follow = el.scrollTop + el.clientHeight >= el.scrollHeight - 4
    el.insertAdjacentHTML('beforeend', logHtml(entry))
    while (el.childElementCount > MAX_LOG_LINES) el.firstElementChild.remove()
    if (follow) el.scrollTop = el.scrollHeight
  }
  for (const id of ['#log-filter', '#log-stream', '#log-selected']) $(id).addEventListener('input', renderLogs)
  $('#log-pause').addEventListener('click', (event) => {
    state.logPaused = !state.logPaused
    event.target.textContent = state.logPaused ? 'follow' : 'pause'
    if (!state.logPaused) renderLogs()
  })

  // ---- custom metrics (sup.metrics(), where this tend has it)
  async function loadCustomMetrics() {
    const data = await api('/api/custom-metrics').catch(() => null)
    const panel = $('#custom-panel')
    if (data === null || data === undefined || (Array.isArray(data) && data.length === 0)) return void (panel.hidden = true)
    const rows = []
    const walk = (prefix, value) => {
      if (value !== null && typeof value === 'object' && rows.length < 200)
        for (const [k, v] of Object.entries(value)) walk(prefix ? `${prefix}.${k}` : k, v)
      else rows.push([prefix, value])
    }
    walk('', data)
    $('#custom-metrics tbody').innerHTML = rows
      .map(([k, v]) => `<tr><td>${escape(k)}</td><td>${escape(JSON.stringify(v))}</td></tr>`)
      .join('')
    panel.hidden = false
  }

  // ---- state and live events
  let refreshTimer = null
  function scheduleRefresh() {
    clearTimeout(refreshTimer)
    refreshTimer = setTimeout(() => void refresh(), 300)
  }

  async function refresh() {
    const { processes } = await api('/api/state')
    state.processes = new Map(processes.map((p) => [p.id, p]))
    if (state.selected !== null && !state.processes.has(state.selected)) select(null)
    renderTable()
  }

  async function loadAll() {
    const [snapshot, history, logs] = await Promise.all([api('/api/state'), api('/api/history?maxPoints=720'), api('/api/logs?lines=200')])
    state.processes = new Map(snapshot.processes.map((p) => [p.id, p]))
    loadHistory(history)
    state.logs = logs
    renderTable()
    renderLogs()
    renderCharts(true)
    void loadCustomMetrics()
    return snapshot.lastEventId
  }

  function onProcessEvent(data) {
    const p = data.process
    state.processes.set(p.id, p)
    if (data.event === 'exit' && (data.reason === 'delete' || data.reason === 'scale')) scheduleRefresh()
    renderTable()
  }

  function connect(lastEventId) {
    const connection = $('#connection')
    const source = new EventSource(`/api/events?token=${encodeURIComponent(token)}&lastEventId=${encodeURIComponent(lastEventId)}`)
    source.addEventListener('open', () => {
      connection.textContent = 'live'
      connection.className = 'badge live'
    })
    source.addEventListener('error', () => {
      connection.textContent = 'reconnecting…'
      connection.className = 'badge down'
    })
    source.addEventListener('process', (event) => onProcessEvent(JSON.parse(event.data)))
    source.addEventListener('log', (event) => addLog(JSON.parse(event.data)))
    source.addEventListener('metrics', (event) => addSample(JSON.parse(event.data)))
    source.addEventListener('reset', () => void loadAll().catch((error) => notice(error.message, true)))
  }

  setInterval(renderTable, 1000) // uptimes
  setInterval(() => void loadCustomMetrics(), 10_000)
  document.addEventListener('DOMContentLoaded', () => {
    loadAll()
      .then(connect)
      .catch((error) => notice(`Could not load the dashboard: ${error.message}`, true))
  })
})()
