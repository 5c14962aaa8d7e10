/** The complete environment of one instance: the base, the spec's env over it, the instance variables. */
import type { NormalizedSpec } from '../types.js'

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
  return env
}
