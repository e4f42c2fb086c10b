/**
 * Runs `task` over `items` with at most `limit` in flight; resolves when all have settled. A task
 * that rejects does not stop the others (its error goes to `onError`).
 *
 * @example
 * await runBounded(parts, 16, (part) => submit(part), (error) => host.log.error('submit task failed', { error }))
 */
export async function runBounded<item>(
  items: readonly item[],
  limit: number,
  task: (item: item) => Promise<void>,
  onError: (error: unknown, item: item) => void,
): Promise<void> {
  let next = 0
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++] as item
      try {
        await task(item)
      } catch (error) {
        onError(error, item)
      }
    }
  }
  await Promise.all(Array.from({ length: Math.min(Math.max(1, limit), items.length) }, worker))
}
