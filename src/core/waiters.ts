/** Promises that resolve when a condition on a process's state holds, re-checked on every change. */
export class Waiters {
  readonly #wakers = new Set<() => void>()

  /** Resolves when `predicate` holds (at once if it does); rejects with the signal's reason on abort. */
  until(predicate: () => boolean, signal?: AbortSignal): Promise<void> {
    if (predicate()) return Promise.resolve()
    return new Promise((resolve, reject) => {
      const wake = (): void => {
        if (!predicate()) return
        cleanup()
        resolve()
      }
      const onAbort = (): void => {
        cleanup()
        reject(signal!.reason)
      }
      const cleanup = (): void => {
        this.#wakers.delete(wake)
        signal?.removeEventListener('abort', onAbort)
      }
      if (signal?.aborted) return reject(signal.reason)
      this.#wakers.add(wake)
      signal?.addEventListener('abort', onAbort, { once: true })
    })
  }

  /** Re-checks every waiter's condition: call after each change. */
  wake(): void {
    for (const wake of [...this.#wakers]) wake()
  }

  /** Forgets every waiter (they stay pending). */
  clear(): void {
    this.#wakers.clear()
  }
}
