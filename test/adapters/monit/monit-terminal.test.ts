/**
 * `tend monit` as people use it: typed into bash in a real terminal (tmux),
 * against a real daemon. It draws the table, `r` restarts the selected
 * process, `q` quits and the terminal is as it was before.
 */
import { execFileSync } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { ProcessInfo } from '../../../src/index.js'
import { fixture, until } from '../../helpers.js'
import { cliArgs, tendHome } from '../cli/cli-helpers.js'
import { tmuxSession } from './tmux.js'

const hasTmux = (() => {
  try {
    execFileSync('tmux', ['-V'])
    return true
  } catch {
    return false
  }
})()

/** The colour codes (foreground and background, not their defaults 39 and 49) in a screen's SGR sequences. */
function colours(screen: string): string[] {
  // eslint-disable-next-line no-control-regex -- the escape character is the point
  const params = [...screen.matchAll(/\x1b\[([\d;]*)m/g)].flatMap((match) => match[1]!.split(';'))
  return params.filter((code) => /^(3[0-8]|4[0-8]|9[0-7]|10[0-7])$/.test(code))
}

const quote = (arg: string): string => `'${arg.replaceAll("'", `'\\''`)}'`

// tmux comes from Debian (.ci/run installs it); CI must never skip this.
describe.skipIf(!hasTmux && !process.env.CI)('tend monit in a real terminal', { timeout: 240_000 }, () => {
  it('draws the table, restarts the selected process on r, and q gives the terminal back as it was', async () => {
    const tend = tendHome()
    const [talker] = await tend.json<ProcessInfo[]>(['start', fixture('say-on-signal.cjs'), '--name', 'talker'])
    await tend.json(['start', fixture('long-running.cjs'), '--name', 'worker', '-i', '2', '--fork'])
    const term = await tmuxSession({ columns: 110, rows: 30, env: { TEND_HOME: tend.home, CI: 'true' } })

    const before = join(term.dir, 'stty-before')
    const after = join(term.dir, 'stty-after')
    const command = [process.execPath, ...cliArgs(['monit'])].map(quote).join(' ')
    await term.send(`clear; stty -g > ${before}; ${command}; echo "monit exited $?"; stty -g > ${after}`, { literal: true })
    await term.send('Enter')

    const screen = await term.waitFor(
      (text) => text.includes('tend monit') && /talker/.test(text) && /worker#1/.test(text) && text.includes('q quit'),
      'the monit table',
    )
    expect(screen).toMatch(/id\s+name\s+mode\s+pid\s+status/)
    expect(screen).toMatch(/▶\s+0 talker\s+fork\s+\d+ online\s+0/)
    expect(await term.display('#{alternate_on}')).toBe('1')
    // Colours without NO_COLOR (and with CI set, as in CI): the status column is green.
    expect(colours(await term.capture({ escapes: true }))).toContain('32')
    if (process.env.TEND_DOCS_SCREENSHOTS) {
      // For the docs: once the sparklines have a few samples.
      await term.waitFor((text) => /mem\s+[▁-█]{6}/.test(text), 'a few samples')
      writeFileSync(join(process.env.TEND_DOCS_SCREENSHOTS, 'monit.ansi'), await term.capture({ escapes: true }))
    }

    // r restarts the selected process (the first row): the screen shows a new pid and one restart, and the daemon agrees.
    await term.send('r', { literal: true })
    const redrawn = await term.waitFor((text) => /▶\s+0 talker\s+fork\s+\d+ online\s+1\s/.test(text), 'the restart count on screen')
    const shownPid = Number(/▶\s+0 talker\s+fork\s+(\d+) online/.exec(redrawn)![1])
    const [restarted] = await tend.json<ProcessInfo[]>(['describe', String(talker!.id)])
    tend.track(restarted!.pid)
    expect(restarted).toMatchObject({ restarts: 1, status: 'online', pid: shownPid })
    expect(shownPid).not.toBe(talker!.pid)

    await term.send('q', { literal: true })
    const back = await term.waitFor((text) => text.includes('monit exited 0'), 'monit to exit')
    await until(() => {
      try {
        return readFileSync(after, 'utf8').length > 0
      } catch {
        return false
      }
    })
    // The same terminal modes (raw mode off, echo on), the normal screen, a visible cursor, and none of monit's screen left.
    expect(readFileSync(after, 'utf8')).toBe(readFileSync(before, 'utf8'))
    expect(await term.display('#{alternate_on}')).toBe('0')
    expect(await term.display('#{cursor_flag}')).toBe('1')
    expect(back).not.toContain('q quit')
  })

  it('Ctrl-C quits cleanly too, and when the daemon goes away monit says so and gives the terminal back', async () => {
    const tend = tendHome()
    await tend.json(['start', fixture('long-running.cjs'), '--name', 'worker'])
    const term = await tmuxSession({ columns: 100, rows: 24, env: { TEND_HOME: tend.home, NO_COLOR: '1' } })
    const command = [process.execPath, ...cliArgs(['monit'])].map(quote).join(' ')
    const launch = async (): Promise<void> => {
      await term.send(`clear; ${command}; echo "monit exited $?"`, { literal: true })
      await term.send('Enter')
      await term.waitFor((text) => text.includes('tend monit') && text.includes('worker'), 'the monit table')
    }

    await launch()
    // NO_COLOR: not one colour sequence on the screen (bold, dim and inverse are not colours).
    expect(colours(await term.capture({ escapes: true }))).toEqual([])
    await term.send('C-c')
    await term.waitFor((text) => text.includes('monit exited 0'), 'monit to exit on Ctrl-C')
    expect(await term.display('#{alternate_on}')).toBe('0')

    await launch()
    expect((await tend.run(['kill'])).code).toBe(0)
    const gone = await term.waitFor((text) => text.includes('monit exited 1'), 'monit to exit when the daemon went away')
    expect(gone).toContain('The tend daemon went away')
    expect(await term.display('#{alternate_on}')).toBe('0')
    expect(await term.display('#{cursor_flag}')).toBe('1')
  })
})
