import type { Response } from 'express';
import { describe, expect, it } from 'vitest';
import { sendFixedSizeJson } from '../../../server/http/fixed-size-json';

/** Just enough of an Express response to see what was sent. */
function fakeResponse() {
  const sent: { type?: string; body?: string } = {};
  const res = {
    type(type: string) {
      sent.type = type;
      return res;
    },
    send(body: string) {
      sent.body = body;
      return res;
    },
  };
  return { res: res as unknown as Response, sent };
}

describe('fixed-size JSON answers', () => {
  it.each([
    ['an empty page', { bodyId: 'demo', objects: [], nextAfter: null }],
    ['a page with messages and text beyond ASCII', { bodyId: 'demo', objects: [{ seq: 3, kind: 'reply', createdOn: '2026-12-06', size: 1100 }], note: 'ünïcode ✓ 汉字' }],
  ])('when %s is sent, then it is the JSON of the value with space padding, exactly the size in bytes', (_name, value) => {
    const { res, sent } = fakeResponse();
    sendFixedSizeJson(res, value, 8192);
    expect(sent.type).toBe('application/json');
    expect(Buffer.byteLength(sent.body!)).toBe(8192);
    const parsed = JSON.parse(sent.body!) as Record<string, unknown>;
    expect(parsed).toEqual({ ...value, padding: expect.stringMatching(/^ *$/) });
    expect(sent.body).toBe(JSON.stringify({ ...value, padding: parsed.padding }));
  });

  it('when the value does not fit, then nothing is sent and it throws', () => {
    const { res, sent } = fakeResponse();
    expect(() => sendFixedSizeJson(res, { text: 'x'.repeat(9000) }, 8192)).toThrow(/more than its 8192/);
    expect(sent.body).toBeUndefined();
  });

  it('when the value has a member named padding before others, then that member is the padding, and the size is still exact', () => {
    const { res, sent } = fakeResponse();
    sendFixedSizeJson(res, { padding: 'mine', after: 1 }, 8192);
    expect(Buffer.byteLength(sent.body!)).toBe(8192);
    expect(JSON.parse(sent.body!)).toEqual({ padding: expect.stringMatching(/^ +$/), after: 1 });
  });
});
