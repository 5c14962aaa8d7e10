/**
 * What tend adds to each child's environment for the code inside it:
 * - `TEND_SUPERVISOR_PID`, so tendjs/app knows it runs under tend (and sends);
 * - `TEND_APP_KILL_SIGNAL`, the stop signal onShutdown() listens for;
 * - the OpenTelemetry hand-off: `OTEL_SERVICE_NAME` (the app's name, unless
 *   set) and `service.instance.id=<app>-<instance>` appended to
 *   `OTEL_RESOURCE_ATTRIBUTES` (unless that already names an instance id), so
 *   an app's own OpenTelemetry SDK tags its telemetry per instance.
 */
import { SUPERVISOR_PID_ENV } from '../app/protocol.js'

export function appSdkEnv(
  env: Readonly<Record<string, string>>,
  spec: { readonly name: string; readonly killSignal: string },
  instance: number,
): Record<string, string> {
  const attributes = env.OTEL_RESOURCE_ATTRIBUTES ?? ''
  const hasInstanceId = attributes.split(',').some((pair) => pair.trim().startsWith('service.instance.id='))
  // attribute values are percent-encoded (W3C Baggage octets); an app name may hold a comma or a space
  const instanceId = `service.instance.id=${encodeURIComponent(`${spec.name}-${instance}`)}`
  return {
    [SUPERVISOR_PID_ENV]: String(process.pid),
    TEND_APP_KILL_SIGNAL: spec.killSignal,
    OTEL_SERVICE_NAME: env.OTEL_SERVICE_NAME || spec.name,
    OTEL_RESOURCE_ATTRIBUTES: hasInstanceId ? attributes : attributes.trim() === '' ? instanceId : `${attributes},${instanceId}`,
  }
}
