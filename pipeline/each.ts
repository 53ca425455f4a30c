/**
 * Run an asynchronous task on every item, at most `limit` at a time, in
 * order of start. Thousands of file writes or compressions started at once
 * run out of file handles (macOS allows a process 256) or hold all their
 * buffers together; the thread pool runs four at a time anyway.
 */
export async function eachAtMost<T>(items: readonly T[], limit: number, task: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0
  const runner = async () => {
    for (let index = next++; index < items.length; index = next++) await task(items[index]!, index)
  }
  await Promise.all(Array.from({length: Math.max(1, Math.min(limit, items.length))}, runner))
}
