/**
 * The demo: supervise an HTTP app with two instances, kill one, watch it come
 * back, and shut down cleanly. Run with `npm run demo`.
 */
import { createServer } from 'node:net'
import { fileURLToPath } from 'node:url'
import { Supervisor, type ProcessInfo } from '../src/index.js'

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer()
    probe.once('error', reject)
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number }
      probe.close(() => resolve(port))
    })
  })
}

function table(processes: ProcessInfo[]): string {
  const rows = processes.map((p) => [String(p.id), p.name, String(p.instance), String(p.pid ?? '-'), p.status, String(p.restarts)])
  const header = ['id', 'name', 'instance', 'pid', 'status', 'restarts']
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)))
  return [header, ...rows].map((row) => row.map((cell, i) => cell.padEnd(widths[i]!)).join('  ')).join('\n')
}

async function get(port: number): Promise<string> {
  const response = await fetch(`http://127.0.0.1:${port}/`)
  return (await response.text()).trim()
}

async function main(): Promise<void> {
  const basePort = Number(process.env.DEMO_PORT ?? (await freePort()))
  const sup = new Supervisor()
  sup.on('log:out', ({ process, line }) => console.log(`  [${process.name}:${process.instance}] ${line}`))
  sup.on('process:exit', ({ process, reason, signal, code }) =>
    console.log(`  ! ${process.name}:${process.instance} exited (${signal ?? `code ${code}`}), reason: ${reason}`),
  )
  sup.on('process:restart', ({ process, delay }) => console.log(`  ↻ ${process.name}:${process.instance} restarting in ${delay} ms`))

  try {
    console.log(`Starting "web" with 2 instances on ports ${basePort} and ${basePort + 1}…`)
    const started = await sup.start({
      name: 'web',
      script: fileURLToPath(new URL('./app/server.cjs', import.meta.url)),
      instances: 2,
      env: { PORT: basePort },
      incrementVar: 'PORT',
      waitReady: false,
    })
    await Promise.all(started.map((p) => waitForAnswer(basePort + p.instance)))
    console.log(`\n${table(sup.list())}\n`)
    console.log(await get(basePort))
    console.log(await get(basePort + 1))

    const victim = started[0]!
    console.log(`\nSIGKILL instance 0 (pid ${victim.pid})…`)
    const back = new Promise<ProcessInfo>((resolve) =>
      sup.on('process:online', (event) => event.process.id === victim.id && resolve(event.process)),
    )
    process.kill(victim.pid!, 'SIGKILL')
    const revived = await back
    await waitForAnswer(basePort)
    console.log(`Instance 0 is back as pid ${revived.pid}: ${await get(basePort)}`)
    console.log(`\n${table(sup.list())}\n`)
  } finally {
    console.log('Closing the supervisor…')
    await sup.close()
  }
  const left = sup.list().filter((p) => p.pid !== null)
  console.log(left.length === 0 ? 'Closed cleanly: no process left running.' : `Still running: ${left.map((p) => p.pid).join(', ')}`)
  if (left.length > 0) process.exitCode = 1
}

async function waitForAnswer(port: number, timeout = 10_000): Promise<void> {
  const deadline = Date.now() + timeout
  for (;;) {
    try {
      await get(port)
      return
    } catch (error) {
      if (Date.now() > deadline) throw error
      await new Promise((resolve) => setTimeout(resolve, 25))
    }
  }
}

main().catch((error: unknown) => {
  console.error(error)
  process.exitCode = 1
})
