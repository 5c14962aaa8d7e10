/**
 * `node --import tsx scripts/ansi-screenshot.ts <pane.ansi> <out.png>`: draws a
 * terminal capture (`tmux capture-pane -e -p`, ANSI colours included) as a
 * PNG, by rendering it as HTML in Debian's Chromium. Used for the monit
 * screenshot in docs/monit-and-dashboard.md.
 */
import { readFileSync } from 'node:fs'
import { launchHeadlessChromium } from './chromium.js'

const PALETTE = ['#1e1e1e', '#f85149', '#3fb950', '#d29922', '#4fa3ff', '#bc8cff', '#39c5cf', '#d8dee6']
const BRIGHT = ['#6e7681', '#ff7b72', '#56d364', '#e3b341', '#79c0ff', '#d2a8ff', '#56d4dd', '#ffffff']

interface Style {
  fg?: string
  bg?: string
  bold?: boolean
  dim?: boolean
  inverse?: boolean
  underline?: boolean
}

function color256(n: number): string {
  if (n < 8) return PALETTE[n]!
  if (n < 16) return BRIGHT[n - 8]!
  if (n >= 232) return `rgb(${8 + (n - 232) * 10},${8 + (n - 232) * 10},${8 + (n - 232) * 10})`
  const c = n - 16
  const level = (v: number): number => (v === 0 ? 0 : 55 + v * 40)
  return `rgb(${level(Math.floor(c / 36))},${level(Math.floor(c / 6) % 6)},${level(c % 6)})`
}

function apply(style: Style, codes: number[]): Style {
  const next = { ...style }
  for (let i = 0; i < codes.length; i++) {
    const code = codes[i]!
    if (code === 0) for (const key of Object.keys(next)) delete next[key as keyof Style]
    else if (code === 1) next.bold = true
    else if (code === 2) next.dim = true
    else if (code === 4) next.underline = true
    else if (code === 7) next.inverse = true
    else if (code === 22) next.bold = next.dim = false
    else if (code === 24) next.underline = false
    else if (code === 27) next.inverse = false
    else if (code >= 30 && code <= 37) next.fg = PALETTE[code - 30]
    else if (code >= 90 && code <= 97) next.fg = BRIGHT[code - 90]
    else if (code === 39) delete next.fg
    else if (code >= 40 && code <= 47) next.bg = PALETTE[code - 40]
    else if (code === 49) delete next.bg
    else if ((code === 38 || code === 48) && codes[i + 1] === 5) {
      next[code === 38 ? 'fg' : 'bg'] = color256(codes[i + 2]!)
      i += 2
    }
  }
  return next
}

const escape = (text: string): string => text.replace(/[&<>]/g, (c) => `&#${c.charCodeAt(0)};`)

export function ansiToHtml(text: string): string {
  let style: Style = {}
  let html = ''
  // eslint-disable-next-line no-control-regex -- SGR sequences are what this reads
  for (const part of text.split(/(\x1b\[[\d;]*m)/)) {
    // eslint-disable-next-line no-control-regex -- as above
    const sgr = /^\x1b\[([\d;]*)m$/.exec(part)
    if (sgr) {
      style = apply(style, (sgr[1] || '0').split(';').map(Number))
      continue
    }
    if (!part) continue
    const fg = style.inverse ? (style.bg ?? '#0f1419') : style.fg
    const bg = style.inverse ? (style.fg ?? '#d8dee6') : style.bg
    const css = [
      fg ? `color:${fg}` : '',
      bg ? `background:${bg}` : '',
      style.bold ? 'font-weight:bold' : '',
      style.dim ? 'opacity:.6' : '',
      style.underline ? 'text-decoration:underline' : '',
    ].filter(Boolean)
    html += css.length ? `<span style="${css.join(';')}">${escape(part)}</span>` : escape(part)
  }
  return html
}

const [input, output] = process.argv.slice(2)
if (!input || !output) throw new Error('usage: ansi-screenshot.ts <pane.ansi> <out.png>')
const pane = readFileSync(input, 'utf8').replace(/\n+$/, '')
const page = `<!doctype html><meta charset="utf-8"><style>
  body { margin: 0; background: #0f1419; }
  pre { margin: 0; padding: 14px 16px; color: #d8dee6; font: 14px/1.25 'DejaVu Sans Mono', monospace; display: inline-block; }
</style><pre>${ansiToHtml(pane)}</pre>`
const chromium = await launchHeadlessChromium()
try {
  const tab = await chromium.browser.newPage()
  await tab.setViewport({ width: 800, height: 400, deviceScaleFactor: 1 })
  await tab.setContent(page)
  const box = await tab.$('pre')
  await box!.screenshot({ path: output })
} finally {
  await chromium.close()
}
