/**
 * One operation lock per key (app name): operations on one key run one after
 * another in call order; different keys proceed in parallel.
 */
export class KeyedQueue {
  readonly #tails = new Map<string, Promise<void>>()
  readonly #inFlight = new Set<Promise<unknown>>()

  /** Runs `task` when every earlier task of `key` has settled. */
  run<T>(key: string, task: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    const previous = this.#tails.get(key) ?? Promise.resolve()
    const result = previous.then(() => {
      signal?.throwIfAborted()
      return task()
    })
    const tail = result.then(
      () => undefined,
      () => undefined,
    )
    this.#tails.set(key, tail)
    void tail.then(() => {
      if (this.#tails.get(key) === tail) this.#tails.delete(key)
    })
    this.#inFlight.add(tail)
    void tail.then(() => this.#inFlight.delete(tail))
    if (!signal) return result
    // An abort while waiting for the turn rejects at once; the task is then skipped.
    return new Promise<T>((resolve, reject) => {
      const onAbort = (): void => reject(signal.reason)
      if (signal.aborted) return onAbort()
      signal.addEventListener('abort', onAbort, { once: true })
      result.then(
        (value) => {
          signal.removeEventListener('abort', onAbort)
          resolve(value)
        },
        (error: unknown) => {
          signal.removeEventListener('abort', onAbort)
          reject(error)
        },
      )
    })
  }

  /** True while a task of `key` runs or waits for its turn. */
  busy(key: string): boolean {
    return this.#tails.has(key)
  }

  /** Resolves when every task queued so far has settled. */
  async idle(): Promise<void> {
    while (this.#inFlight.size > 0) await Promise.all(this.#inFlight)
  }
}
