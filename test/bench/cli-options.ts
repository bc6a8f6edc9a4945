/** Command-line values of the benchmark's helper processes, checked as they are read. */
export function positiveInteger(name: string, raw: string | undefined): number {
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < 1) throw new RangeError(`--${name} must be a whole number, at least 1; it is "${raw}".`);
  return value;
}
