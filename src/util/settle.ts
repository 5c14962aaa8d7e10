/**
 * Waits for every promise, then rejects with the first failure in the
 * order given, or resolves with every value: nothing is left running
 * unobserved when one fails.
 */
export async function settleAll<T>(promises: Iterable<Promise<T>>): Promise<T[]> {
  const results = await Promise.allSettled(promises)
  const failed = results.find((result) => result.status === 'rejected')
  if (failed) throw failed.reason
  return results.map((result) => (result as PromiseFulfilledResult<T>).value)
}
