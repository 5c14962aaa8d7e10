/**
 * Calls `fn` once after `ms`, unless `signal` aborts first: timers hang off
 * the signal of whatever they belong to, so one abort() clears them all.
 * Returns a function that cancels this one timer alone.
 */
export function setTimeoutOn(signal: AbortSignal, ms: number, fn: () => void): () => void {
  if (signal.aborted) return () => undefined
  const cancel = (): void => {
    clearTimeout(timer)
    signal.removeEventListener('abort', cancel)
  }
  const timer = setTimeout(() => {
    signal.removeEventListener('abort', cancel)
    fn()
  }, ms)
  signal.addEventListener('abort', cancel, { once: true })
  return cancel
}
