/**
 * What the command line says without a daemon: commander's own errors as one
 * line with a code, --json failures as JSON, a JS ecosystem file's syntax
 * error with file, line and column, and the verbs that write files
 * (ecosystem, startup, unstartup). No test here starts a daemon.
 */
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { loadEcosystem } from '../../../src/ecosystem/load.js'
import { cliArgs, tendHome } from './cli-helpers.js'

const ONE_LINE = /^tend: [^\n]+ \(TEND_ERR_[A-Z_]+(, E[A-Z]+)?\)\n$/

describe('tend without a daemon', { timeout: 120_000 }, () => {
  it("reports commander's failures as one line with TEND_ERR_CLI and exit status 2, and suggests the right verb", async () => {
    const tend = tendHome()
    const unknownOption = await tend.run(['start', 'app.js', '--bogus'])
    expect(unknownOption).toMatchObject({ code: 2, stdout: '' })
    expect(unknownOption.stderr).toMatch(ONE_LINE)
    expect(unknownOption.stderr).toContain("unknown option '--bogus'")
    const missing = await tend.run(['stop'])
    expect(missing.code).toBe(2)
    expect(missing.stderr).toMatch(ONE_LINE)
    const typo = await tend.run(['resett', '0'])
    expect(typo.code).toBe(2)
    expect(typo.stderr).toMatch(ONE_LINE)
    expect(typo.stderr).toContain('(Did you mean reset?)')
    expect(typo.stderr).not.toContain('delete')
    const json = await tend.run(['ls', '--sort', 'nope', '--json'])
    expect(json.code).toBe(2)
    const failure = JSON.parse(json.stdout) as { error: { code: string; message: string } }
    expect(failure.error.code).toBe('TEND_ERR_CLI')
    expect(failure.error.message).toContain('--sort')
    expect(json.stderr).toMatch(ONE_LINE)
    expect(tend.daemonPid()).toBeNull()
  })

  it("names the file, line and column of a JS ecosystem file's syntax error", async () => {
    const tend = tendHome()
    const eco = join(tend.home, 'ecosystem.config.js')
    writeFileSync(eco, "module.exports = {\n  apps: [\n    { name: 'a', script: 'x.js' \n  ]\n}\n")
    const result = await tend.run(['start', eco])
    expect(result.code).toBe(1)
    expect(result.stderr).toBe(`tend: ${eco}:4:3: SyntaxError: Unexpected token ']' (TEND_ERR_INVALID_SPEC)\n`)
    const esm = join(tend.home, 'ecosystem.config.mjs')
    writeFileSync(esm, "export default {\n  apps: [{ name: 'a', script: 'x.js' }],\n")
    expect((await tend.run(['start', esm])).stderr).toBe(`tend: ${esm}:3:1: SyntaxError: Unexpected end of input (TEND_ERR_INVALID_SPEC)\n`)
  })

  it('ends quietly with status 0 when its reader goes away', () => {
    const tend = ['startup', 'systemd'].map((arg) => `'${arg}'`)
    const command = `"${process.execPath}" ${cliArgs([])
      .map((arg) => `'${arg}'`)
      .join(' ')} ${tend.join(' ')}`
    // head reads one line and goes; true is gone before tend writes anything: both are EPIPE for tend.
    for (const [reader, shown] of [
      ['head -1', '[Unit]\n'],
      ['true', ''],
    ] as const) {
      const result = spawnSync('bash', ['-c', `${command} | ${reader}; echo "status \${PIPESTATUS[0]}" >&2`], { encoding: 'utf8' })
      expect(result.stdout).toBe(shown)
      expect(result.stderr).toBe('status 0\n')
    }
  })

  it('writes a sample ecosystem file that loads, and refuses to replace it without --force', async () => {
    const tend = tendHome()
    const dir = join(tend.home, 'proj')
    mkdirSync(dir)
    const written = await tend.run(['ecosystem'], { cwd: dir })
    expect(written).toMatchObject({ code: 0, stderr: '' })
    const file = join(dir, 'ecosystem.config.js')
    expect(written.stdout).toContain(`wrote ${file}`)
    const loaded = await loadEcosystem(file)
    expect(loaded.warnings).toEqual([])
    expect(loaded.apps).toMatchObject([{ name: 'app', maxMemoryRestart: '300M', killTimeout: 3000 }])
    expect((await tend.run(['init'], { cwd: dir })).code).toBe(1)
    expect((await tend.run(['init', 'simple', '--force'], { cwd: dir })).code).toBe(0)
    // In a "type": "module" package a .js file cannot use module.exports: it writes .cjs.
    const esm = join(tend.home, 'esm')
    mkdirSync(esm)
    writeFileSync(join(esm, 'package.json'), '{ "type": "module" }')
    expect((await tend.run(['ecosystem'], { cwd: esm })).code).toBe(0)
    expect((await loadEcosystem(join(esm, 'ecosystem.config.cjs'))).apps).toHaveLength(1)
  })

  it('startup names the unit it wrote, leaves npx folders out of its PATH with a warning, and unstartup removes it', async () => {
    const tend = tendHome()
    const npxBin = join(tend.home, '.npm', '_npx', '3f2a', 'node_modules', '.bin')
    const path = `${npxBin}:/usr/local/bin:/usr/bin:/bin`
    const unit = join(tend.home, 'units', 'my-apps.service')
    mkdirSync(join(tend.home, 'units', 'default.target.wants'), { recursive: true })
    const written = await tend.run(['startup', 'systemd', '--write', '--unit-path', unit], { env: { PATH: path } })
    expect(written.code).toBe(0)
    expect(written.stdout).toMatch(/enable --now my-apps\.service/)
    expect(written.stdout).not.toMatch(/\btend\.service/)
    expect(written.stderr).toContain(`left npx's temporary folders out of the unit's PATH (${npxBin})`)
    const text = readFileSync(unit, 'utf8')
    expect(text).toContain('Environment=PATH=/usr/local/bin:/usr/bin:/bin\n')
    expect(text).not.toContain('_npx')
    // what systemctl --user enable would have made
    const wants = join(tend.home, 'units', 'default.target.wants', 'my-apps.service')
    symlinkSync(unit, wants)
    const removed = await tend.run(['unstartup', 'systemd', '--unit-path', unit])
    expect(removed).toMatchObject({ code: 0, stderr: '' })
    expect(removed.stdout).toContain(`removed ${unit}`)
    expect(removed.stdout).toContain('stop my-apps.service')
    expect(existsSync(unit)).toBe(false)
    expect(existsSync(wants)).toBe(false)
    expect((await tend.run(['unstartup', '--unit-path', unit])).stdout).toContain('nothing to remove')
    const named = await tend.run(['startup', '--service-name', 'apps'])
    expect(named.code).toBe(0)
  })
})
