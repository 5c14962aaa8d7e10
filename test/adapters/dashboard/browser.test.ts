/// <reference lib="dom" />
/**
 * `tend dashboard` as people use it: a real daemon with real apps, the
 * dashboard started by the CLI, and the page in a real headless Chromium.
 */
import { copyFileSync, existsSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { ProcessInfo } from '../../../src/index.js'
import { freePort } from '../../http-load.js'
import { fixture, tempDir, until } from '../../helpers.js'
import { tendHome } from '../cli/cli-helpers.js'
import { hasChromium, launchChromium } from './chromium.js'

// Chromium comes from Debian (.ci/run installs it); CI must never skip this, a laptop without it may.
describe.skipIf(!hasChromium && !process.env.CI)('tend dashboard in a real browser', { timeout: 240_000 }, () => {
  it('401 without the token; with it: the processes, a new log line live, and a restart click that changes the count', async () => {
    const tend = tendHome()
    const dir = tempDir()
    await tend.json(['start', fixture('say-on-signal.cjs'), '--name', 'talker', '-i', '2', '--fork'])
    await tend.json(['start', fixture('long-running.cjs'), '--name', 'worker'])
    const [talker] = (await tend.json<ProcessInfo[]>(['describe', 'talker'])) as [ProcessInfo]
    // Its signal handler is in place once it has said ready.
    for (let tries = 0; !(await tend.run(['logs', 'talker', '--lines', '10'])).stdout.includes('ready'); tries++) {
      if (tries > 100) throw new Error('talker never said ready')
    }

    const port = await freePort()
    const dashboard = tend.spawn(['dashboard', '--port', String(port)])
    let printed = ''
    dashboard.stdout!.on('data', (chunk: Buffer) => (printed += chunk.toString()))
    await until(() => /token=/.test(printed), { timeout: 60_000, message: 'the dashboard URL' })
    const url = /(http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+)/.exec(printed)![1]!
    expect(url).toContain(`:${port}/`)

    const browser = await launchChromium()
    const page = await browser.newPage()
    await page.setViewport({ width: 1280, height: 1000 })
    const errors: string[] = []
    page.on('pageerror', (error) => errors.push(String(error)))

    const refused = await page.goto(`http://127.0.0.1:${port}/`)
    expect(refused!.status()).toBe(401)
    const wrong = await page.goto(`http://127.0.0.1:${port}/?token=not-the-token`)
    expect(wrong!.status()).toBe(401)

    const loaded = await page.goto(url)
    expect(loaded!.status()).toBe(200)
    await page.waitForFunction(() => document.querySelectorAll('#processes tbody tr').length === 3, { timeout: 60_000 })
    const names = await page.$$eval('#processes tbody td.name', (cells) => cells.map((cell) => cell.textContent))
    expect(names).toEqual(['talker#0', 'talker#1', 'worker'])
    await page.waitForFunction(() => document.querySelector('#connection')?.textContent === 'live', { timeout: 60_000 })

    // A line the app prints now reaches the page over the event stream.
    const signalled = await tend.run(['signal', 'SIGUSR2', String(talker.id)])
    expect(signalled.code).toBe(0)
    await page.waitForFunction(() => document.querySelector('#log')?.textContent?.includes('ping 1'), { timeout: 60_000 })

    // The rows stay the same elements across updates (a button rebuilt under the pointer loses its click):
    // a button found now is still on the page after the uptime cell has changed.
    const row = `#processes tbody tr[data-id="${talker.id}"]`
    const button = (await page.$(`${row} button[data-action="restart"]`))!
    const uptime = await page.$eval(`${row} td.uptime`, (cell) => cell.textContent)
    await page.waitForFunction(
      (selector, before) => document.querySelector(selector)?.textContent !== before,
      { timeout: 60_000 },
      `${row} td.uptime`,
      uptime,
    )
    expect(await button.evaluate((element) => element.isConnected)).toBe(true)

    // A click on restart: the count in the row goes from 0 to 1.
    expect(await page.$eval(`${row} td.restarts`, (cell) => cell.textContent)).toBe('0')
    await button.click()
    await page.waitForFunction(
      (selector) => document.querySelector(selector)?.textContent === '1',
      { timeout: 60_000 },
      `${row} td.restarts`,
    )
    const after = await tend.json<ProcessInfo[]>(['describe', String(talker.id)])
    expect(after[0]!.restarts).toBe(1)
    expect(after[0]!.pid).not.toBe(talker.pid)
    tend.track(after[0]!.pid)

    const screenshot = join(dir, 'dashboard.png')
    await page.screenshot({ path: screenshot, fullPage: true })
    expect(statSync(screenshot).size).toBeGreaterThan(10_000)
    if (process.env.TEND_DOCS_SCREENSHOTS) copyFileSync(screenshot, join(process.env.TEND_DOCS_SCREENSHOTS, 'dashboard.png'))
    expect(errors).toEqual([])

    // Ctrl-C ends the dashboard cleanly.
    const exited = new Promise<number | null>((resolve) => dashboard.once('exit', (code) => resolve(code)))
    dashboard.kill('SIGINT')
    expect(await exited).toBe(0)
    expect(existsSync(screenshot)).toBe(true)
  })
})
