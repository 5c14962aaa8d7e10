/**
 * Debian's Chromium, headless, driven by puppeteer-core (no browser
 * download), with a fresh profile: the one launcher for the dashboard's
 * browser tests and the screenshot script. The flags keep it off the
 * network this machine does not have (background networking, component
 * updates, sync and QUIC), as the machine's notes advise.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import puppeteer, { type Browser } from 'puppeteer-core'

export const CHROMIUM = '/usr/bin/chromium'
export const hasChromium = existsSync(CHROMIUM)

/** A running headless Chromium and the profile folder it owns (removed by close()). */
export interface HeadlessChromium {
  readonly browser: Browser
  readonly profile: string
  /** Closes the browser and removes its profile. */
  close(): Promise<void>
}

export async function launchHeadlessChromium(): Promise<HeadlessChromium> {
  const profile = mkdtempSync(join(tmpdir(), 'tend-chromium-'))
  const browser = await puppeteer.launch({
    executablePath: CHROMIUM,
    headless: true,
    userDataDir: profile,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  })
  return {
    browser,
    profile,
    close: async () => {
      await browser.close()
      rmSync(profile, { recursive: true, force: true })
    },
  }
}
