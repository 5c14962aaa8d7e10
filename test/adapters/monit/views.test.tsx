/** The monit views drawn by Ink into a string (ink-testing-library), and the whole screen over a real Supervisor. */
import { render } from 'ink-testing-library'
import { describe, expect, it } from 'vitest'
import { Monit } from '../../../src/adapters/monit/app.js'
import { columns } from '../../../src/adapters/monit/model.js'
import { Detail, HelpLine, LogPanel, ProcessTable } from '../../../src/adapters/monit/views.js'
import { supervisorSource } from '../../../src/adapters/dashboard/source.js'
import { recordHistory } from '../../../src/metrics/history.js'
import type { ProcessInfo } from '../../../src/index.js'
import { fixture, onCleanup, supervisor, until } from '../../helpers.js'

const plain = { color: false }
const row = (id: number, name: string, fields: Partial<ProcessInfo> = {}): ProcessInfo =>
  ({
    id,
    name,
    namespace: 'default',
    instance: 0,
    mode: 'fork',
    pid: 100 + id,
    status: 'online',
    restarts: 0,
    cpu: 0,
    memory: 0,
    startedAt: 0,
    ...fields,
  }) as ProcessInfo

function draw(element: React.JSX.Element): string {
  const view = render(element)
  onCleanup(() => view.unmount())
  return view.lastFrame() ?? ''
}

describe('monit views', () => {
  it('ProcessTable: a header, one line per process, the selected one marked, scrolled to keep it in view', () => {
    const rows = Array.from({ length: 10 }, (_, i) => row(i, `app${i}`, { restarts: i, memory: 1024 * 1024 * (i + 1) }))
    const frame = draw(<ProcessTable theme={plain} rows={rows} selectedId={8} columns={columns(90, false)} height={4} now={0} />)
    const lines = frame.split('\n')
    expect(lines[0]).toMatch(/^\s+id name\s+mode\s+pid status\s+↺ uptime\s+cpu\s+memory$/)
    expect(lines.slice(1, 5).map((line) => /app\d/.exec(line)?.[0])).toEqual(['app5', 'app6', 'app7', 'app8'])
    expect(lines[4]).toMatch(/^▶\s+8 app8\s+fork\s+108 online\s+8\s+0s?\s+0%\s+9\.0mb$/)
    expect(lines[5]).toContain('6–9 of 10')
  })

  it('ProcessTable: a health column when probes report health, and a hint when nothing runs', () => {
    const withHealth = [row(0, 'web', { health: { status: 'healthy', ready: true } } as Partial<ProcessInfo>)]
    expect(draw(<ProcessTable theme={plain} rows={withHealth} selectedId={0} columns={columns(100, true)} height={3} now={0} />)).toMatch(
      /health[\s\S]*healthy/,
    )
    expect(draw(<ProcessTable theme={plain} rows={[]} selectedId={null} columns={columns(100, false)} height={3} now={0} />)).toContain(
      'No processes',
    )
  })

  it('Detail: sparklines with the last and highest figures', () => {
    const frame = draw(<Detail theme={plain} info={row(3, 'api')} cpu={[0, 50, 100, 25]} memory={[1024, 2048]} width={40} />)
    expect(frame).toContain('api #3')
    expect(frame).toMatch(/cpu\s+▁▅█▃ 25% \(max 100%\)/)
    expect(frame).toMatch(/mem\s+▅█ 2\.0kb \(max 2\.0kb\)/)
  })

  it('LogPanel and HelpLine', () => {
    const lines = [
      { id: 1, name: 'api', stream: 'out' as const, line: 'hello', at: 1 },
      { id: 1, name: 'api', stream: 'err' as const, line: 'oops', at: 2 },
    ]
    const frame = draw(<LogPanel theme={plain} lines={lines} height={1} title="api #1" streams="err" paused search="oo" />)
    expect(frame.split('\n')).toEqual(['logs: api #1  stderr  PAUSED  search: oo', 'api#1 oops'])
    expect(draw(<HelpLine theme={plain} message={null} error={false} />)).toMatch(/^q quit {2}h help {2}↑↓ select/)
    expect(draw(<HelpLine theme={plain} message="restart api #1: done" error={false} />)).toBe('restart api #1: done')
  })
})

describe('the monit screen over a real Supervisor', { timeout: 60_000 }, () => {
  it('lists, sorts, filters, restarts on r, deletes after a y, and quits on q', async () => {
    const sup = supervisor({ metricsInterval: 100 })
    const recorded = recordHistory(sup)
    onCleanup(() => recorded.stop())
    await sup.start([
      { name: 'talker', script: fixture('say-on-signal.cjs') },
      { name: 'worker', script: fixture('long-running.cjs'), instances: 2 },
    ])
    let quit = 0
    const view = render(
      <Monit source={supervisorSource(sup, recorded.history)} color={false} columns={100} rows={30} frameMs={20} onQuit={() => quit++} />,
    )
    onCleanup(() => view.unmount())
    const frame = (): string => view.lastFrame() ?? ''
    const waitFrame = (check: (text: string) => boolean, message: string): Promise<void> =>
      until(() => check(frame()), { timeout: 30_000, message })
    /** Types text key by key; an escape sequence (an arrow) goes as one key. */
    const keys = async (text: string): Promise<void> => {
      for (const key of text.startsWith('\u001B') ? [text] : text) {
        view.stdin.write(key)
        await new Promise((resolve) => setImmediate(resolve))
      }
    }

    await waitFrame(
      (text) => text.includes('3 processes, 2 apps') && text.includes('worker#1') && text.includes('ready'),
      'the table and the log',
    )
    expect(frame()).toMatch(/▶\s+0 talker/)
    // The sparklines fill from the metrics events.
    await waitFrame((text) => /mem\s+\S*[▁-█]+ \d/.test(text), 'a memory sparkline')

    await keys('\u001B[B') // down: worker#0 is selected
    await waitFrame((text) => /▶\s+1 worker#0/.test(text), 'worker#0 selected')
    await keys('s') // sort by name
    await waitFrame((text) => text.includes('sort: name'), 'the sort by name')
    await keys('/wor')
    await waitFrame((text) => text.includes('filter: wor') && !text.includes(' talker '), 'the filter')
    await keys('\r')

    await keys('r')
    await until(() => sup.describe(1)[0]!.restarts === 1 && sup.describe(1)[0]!.status === 'online', { message: 'worker#0 restarted' })
    await waitFrame((text) => /▶\s+1 worker#0\s+fork\s+\d+ online\s+1 /.test(text), 'the restart count')

    await keys('d')
    await waitFrame((text) => text.includes('delete worker #1? It is stopped and forgotten. y/N'), 'the confirmation')
    await keys('n')
    expect(sup.list()).toHaveLength(3)
    await keys('d')
    await waitFrame((text) => text.includes('y/N'), 'the confirmation again')
    await keys('y')
    await until(() => sup.list().length === 2, { message: 'the delete' })
    await waitFrame((text) => text.includes('2 processes, 2 apps'), 'the table without it')

    await keys('q')
    expect(quit).toBe(1)
  })
})
