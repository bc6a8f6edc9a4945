/** Runs operations on the same key one after another, and operations on different keys freely. */
export class KeyedLock {
  private readonly tails = new Map<string, Promise<unknown>>();

  async run<T>(key: string, operation: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const current = previous.catch(() => undefined).then(operation);
    this.tails.set(key, current);
    try {
      return await current;
    } finally {
      // The map holds only keys with an operation queued or running, so it does not grow with use.
      if (this.tails.get(key) === current) this.tails.delete(key);
    }
  }
}
