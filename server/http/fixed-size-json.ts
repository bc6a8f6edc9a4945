/**
 * JSON answers of one fixed length whatever they hold: a reporter's status with no reply and with
 * many has the same size on the wire (docs/protocol.md §8), so that someone watching the encrypted
 * traffic cannot tell that an investigator answered.
 */
import type { Response } from 'express';

const EMPTY_PADDING_END = '"padding":""}';

export function sendFixedSizeJson(res: Response, value: object, size: number): void {
  const bare = JSON.stringify({ ...value, padding: '' });
  const bareBytes = Buffer.byteLength(bare);
  // Pages are sized so that this cannot happen (see STATUS_PAGE_OBJECTS); should it, an error is
  // better than an answer whose length gives its content away.
  if (bareBytes > size) throw new Error(`A fixed-size answer needs ${bareBytes} bytes, more than its ${size}.`);
  const spaces = ' '.repeat(size - bareBytes);
  // When the padding is the last member, its spaces go between its quotes, without serializing the
  // answer a second time (issue 16): the same bytes as JSON.stringify({ ...value, padding: spaces }).
  const answer = bare.endsWith(EMPTY_PADDING_END) ? `${bare.slice(0, -2)}${spaces}"}` : JSON.stringify({ ...value, padding: spaces });
  res.type('application/json').send(answer);
}
