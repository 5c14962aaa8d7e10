/**
 * The shared headless Chromium (scripts/chromium.ts) for a test: closed
 * after it, with proof that its process is gone and its profile removed.
 */
import { existsSync } from 'node:fs'
import type { Browser } from 'puppeteer-core'
import { expect } from 'vitest'
import { launchHeadlessChromium } from '../../../scripts/chromium.js'
import { isAlive, onCleanup, until } from '../../helpers.js'

export { CHROMIUM, hasChromium } from '../../../scripts/chromium.js'

export async function launchChromium(): Promise<Browser> {
  const chromium = await launchHeadlessChromium()
  const pid = chromium.browser.process()?.pid
  onCleanup(async () => {
    await chromium.close()
    if (pid !== undefined) await until(() => !isAlive(pid), { timeout: 20_000, message: `chromium (pid ${pid}) to be gone` })
    expect(existsSync(chromium.profile)).toBe(false)
  })
  return chromium.browser
}
