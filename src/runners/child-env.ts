/** The complete environment of one instance: the base, the spec's env over it, the instance variables. */
import type { NormalizedSpec } from '../types.js'
import { appSdkEnv } from '../app-metrics/child-env.js'

export function childEnv(
  base: Readonly<Record<string, string | undefined>>,
  spec: NormalizedSpec,
  instance: number,
): Record<string, string> {
  const env: Record<string, string> = {}
  for (const [key, value] of Object.entries(base)) if (value !== undefined) env[key] = value
  Object.assign(env, spec.env)
  env[spec.instanceVar] = String(instance)
  if (spec.incrementVar) env[spec.incrementVar] = String(Number(env[spec.incrementVar]) + instance)
  // TEND_SUPERVISOR_PID for tendjs/app, and the OpenTelemetry service name and instance id
  Object.assign(env, appSdkEnv(env, spec, instance))
  return env
}
