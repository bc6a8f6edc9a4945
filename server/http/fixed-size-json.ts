/**
 * JSON answers of one fixed length whatever they hold: a reporter's status with no reply and with
 * many has the same size on the wire (docs/protocol.md §8), so that someone watching the encrypted
 * traffic cannot tell that an investigator answered.
 */
import type { Response } from 'express';

export function sendFixedSizeJson(res: Response, value: object, size: number): void {
  const bare = Buffer.byteLength(JSON.stringify({ ...value, padding: '' }));
  // Pages are sized so that this cannot happen (see STATUS_PAGE_OBJECTS); should it, an error is
  // better than an answer whose length gives its content away.
  if (bare > size) throw new Error(`A fixed-size answer needs ${bare} bytes, more than its ${size}.`);
  res.type('application/json').send(JSON.stringify({ ...value, padding: ' '.repeat(size - bare) }));
}
