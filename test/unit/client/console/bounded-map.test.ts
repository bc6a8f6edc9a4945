/** The console's bounded async map: results in order, never more steps at once than allowed, none after a failure. */
import { describe, expect, it } from 'vitest';
import { mapBounded } from '../../../../client/console/bounded-map';

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('mapBounded', () => {
  it('when steps finish out of order, then the results still follow the items, and no more than the limit ran at once', async () => {
    let running = 0;
    let most = 0;
    const results = await mapBounded([5, 1, 4, 2, 3, 0, 6], 3, async (delay) => {
      running++;
      most = Math.max(most, running);
      await pause(delay);
      running--;
      return delay * 10;
    });
    expect(results).toEqual([50, 10, 40, 20, 30, 0, 60]);
    expect(most).toBe(3);
  });

  it('when a step fails, then the map rejects with its error and starts no further step', async () => {
    const started: number[] = [];
    const failing = mapBounded([1, 2, 3, 4, 5, 6], 2, async (item) => {
      started.push(item);
      await pause(1);
      if (item === 1) throw new Error('step 1 failed');
      return item;
    });
    await expect(failing).rejects.toThrow('step 1 failed');
    await pause(10);
    expect(started).toEqual([1, 2]);
  });

  it('when there is nothing to do, then the answer is empty; when the limit is not a positive whole number, then it is refused', async () => {
    expect(await mapBounded([], 4, async () => 1)).toEqual([]);
    await expect(mapBounded([1], 0, async (item) => item)).rejects.toThrow(RangeError);
    await expect(mapBounded([1], 1.5, async (item) => item)).rejects.toThrow(RangeError);
  });
});
