/**
 * Run an asynchronous task on every item, at most `limit` at a time, in
 * order of start. Thousands of file writes or compressions started at once
 * run out of file handles (macOS allows a process 256) or hold all their
 * buffers together; the thread pool runs four at a time anyway. After a task
 * fails no other starts, and the first failure is thrown once the tasks under
 * way have ended (so that the caller can clean up after all of them).
 */
export async function eachAtMost<T>(
  items: readonly T[],
  limit: number,
  task: (item: T, index: number) => Promise<void>
): Promise<void> {
  let next = 0
  let failure: {cause: unknown} | undefined
  const runner = async () => {
    for (let index = next++; index < items.length && !failure; index = next++) {
      try {
        await task(items[index]!, index)
      } catch (cause) {
        failure ??= {cause}
      }
    }
  }
  await Promise.all(Array.from({length: Math.max(1, Math.min(limit, items.length))}, runner))
  if (failure) throw failure.cause
}
