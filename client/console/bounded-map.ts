/** An async map with at most a few steps running at once, so that the work in flight stays bounded. */

/**
 * Runs `step` on every item, at most `limit` at a time, and gives the results in the items' order.
 * After a step fails no new step starts; the failure is what the returned promise rejects with.
 */
export async function mapBounded<T, R>(items: readonly T[], limit: number, step: (item: T) => Promise<R>): Promise<R[]> {
  if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`At least one step must run at a time, not ${limit}`);
  const results: R[] = [];
  let next = 0;
  let failed = false;
  const worker = async (): Promise<void> => {
    while (!failed && next < items.length) {
      const index = next++;
      try {
        results[index] = await step(items[index] as T);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
