/**
 * Size buckets. Padmé (Nikitin et al., PETS 2019) rounds a length so that only O(log log n) bits of it
 * remain visible, with at most 12 % overhead; a floor hides the size of short messages entirely.
 */

function bitLength(value: number): number {
  let bits = 0;
  while (2 ** bits <= value) bits++;
  return bits;
}

export function padmeLength(length: number): number {
  if (!Number.isSafeInteger(length) || length < 0) throw new RangeError(`Not a length: ${length}`);
  if (length < 2) return length;
  const exponent = bitLength(length) - 1;
  const significantBits = bitLength(exponent);
  const step = 2 ** (exponent - significantBits);
  return Math.ceil(length / step) * step;
}

/** The size every message of `length` bytes is padded to, given the floor for its kind. */
export function paddedLength(length: number, floor: number): number {
  return padmeLength(Math.max(length, floor));
}
