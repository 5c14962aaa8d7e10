/**
 * Debian's Chromium, headless, driven by puppeteer-core (no browser
 * download), with a fresh profile per test; closed after the test with
 * proof that its process is gone and its profile removed.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import puppeteer, { type Browser } from 'puppeteer-core'
import { expect } from 'vitest'
import { isAlive, onCleanup, until } from '../../helpers.js'

export const CHROMIUM = '/usr/bin/chromium'
export const hasChromium = existsSync(CHROMIUM)

export async function launchChromium(): Promise<Browser> {
  const profile = mkdtempSync(join(tmpdir(), 'tend-chromium-'))
  const browser = await puppeteer.launch({
    executablePath: CHROMIUM,
    headless: true,
    userDataDir: profile,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      `--user-data-dir=${profile}`,
    ],
  })
  const pid = browser.process()?.pid
  onCleanup(async () => {
    await browser.close()
    if (pid !== undefined) await until(() => !isAlive(pid), { timeout: 20_000, message: `chromium (pid ${pid}) to be gone` })
    rmSync(profile, { recursive: true, force: true })
    expect(existsSync(profile)).toBe(false)
  })
  return browser
}
