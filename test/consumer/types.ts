import { Supervisor, type AppSpec, type ProcessInfo, type ProcessExitEvent } from 'tend'

const spec: AppSpec = { name: 'typed', script: 'server.js', instances: 2, killTimeout: '2s' }
const sup = new Supervisor({ metricsInterval: 0 })
sup.on('process:exit', (event: ProcessExitEvent) => {
  const reason: 'crash' | 'exit' | string = event.reason
  void reason
})
// @ts-expect-error: an event name that does not exist is a type error
sup.on('process:exti', () => {})
export async function use(): Promise<ProcessInfo[]> {
  await using scoped = new Supervisor()
  void scoped
  return sup.start(spec)
}
