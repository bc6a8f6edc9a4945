/**
 * JSON answers whose length says little about their content: a reporter's status with one reply and
 * with none have the same size on the wire (Padmé buckets, see docs/protocol.md §8), so that someone
 * watching the encrypted traffic cannot tell that an investigator answered.
 */
import type { Response } from 'express';
import { paddedLength } from '../../crypto/index';

export const STATUS_PADDING_FLOOR = 8192;

export function sendPaddedJson(res: Response, value: Record<string, unknown>, floor = STATUS_PADDING_FLOOR): void {
  const bare = JSON.stringify({ ...value, padding: '' });
  const target = paddedLength(Buffer.byteLength(bare), floor);
  res.type('application/json').send(JSON.stringify({ ...value, padding: ' '.repeat(target - Buffer.byteLength(bare)) }));
}
