import { describe, expect, it } from 'vitest';
import { deriveCaseKeys, generateCaseToken, openReply, REPLY_PADDING_FLOOR, sealReply, utf8Decode, utf8Encode } from '../../../crypto/index';
import { flipBit, patternBytes, errorCodeOf } from '../../helpers/crypto';

describe('replies sealed to a case', async () => {
  const reporter = await deriveCaseKeys(generateCaseToken());
  const stranger = await deriveCaseKeys(generateCaseToken());

  it('when an investigator seals a reply with only the case’s public key, then the token holder opens it', () => {
    const sealed = sealReply(reporter.replyPublicKey, utf8Encode('We have opened an investigation.'));
    expect(utf8Decode(openReply(reporter, sealed))).toBe('We have opened an investigation.');
  });

  it('when the reporter seals their own copy, then it opens only as a reporter copy', () => {
    const sealed = sealReply(reporter.replyPublicKey, utf8Encode('my report'), 'reporter-copy');
    expect(utf8Decode(openReply(reporter, sealed, 'reporter-copy'))).toBe('my report');
    expect(errorCodeOf(() => openReply(reporter, sealed))).toBe('envelope-wrong-kind');
  });

  it('when the same text is sealed twice, then the two sealed forms differ (fresh ephemeral key and nonce)', () => {
    const a = sealReply(reporter.replyPublicKey, utf8Encode('same'));
    const b = sealReply(reporter.replyPublicKey, utf8Encode('same'));
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(false);
  });

  it('when replies of different lengths are short, then their sealed sizes are equal', () => {
    const sizes = [0, 10, 900].map((length) => sealReply(reporter.replyPublicKey, patternBytes(length)).length);
    expect(new Set(sizes).size).toBe(1);
    expect(sealReply(reporter.replyPublicKey, patternBytes(REPLY_PADDING_FLOOR * 3)).length).toBeGreaterThan(sizes[0]!);
  });

  it('when another case’s keys try to open it, then it fails with a typed error', () => {
    const sealed = sealReply(reporter.replyPublicKey, utf8Encode('for the reporter only'));
    expect(errorCodeOf(() => openReply(stranger, sealed))).toBe('decryption-failed');
  });

  it('when any single bit is flipped, then opening fails with a typed error', () => {
    const sealed = sealReply(reporter.replyPublicKey, utf8Encode('tamper me'));
    for (let index = 0; index < sealed.length; index++) {
      expect(errorCodeOf(() => openReply(reporter, flipBit(sealed, index))), `byte ${index}`).not.toBe('no error');
    }
  });

  it('when the relabelled kind is also changed outside the box, then the copy inside catches it', () => {
    const sealed = sealReply(reporter.replyPublicKey, utf8Encode('a reply'));
    const relabelled = sealed.slice();
    relabelled[5] = 7; // reply → reporter-copy
    expect(errorCodeOf(() => openReply(reporter, relabelled, 'reporter-copy'))).toBe('binding-mismatch');
  });

  it('when the sealed form is truncated or the key has the wrong size, then it is refused', () => {
    const sealed = sealReply(reporter.replyPublicKey, utf8Encode('x'));
    expect(errorCodeOf(() => openReply(reporter, sealed.slice(0, 40)))).toBe('envelope-invalid');
    expect(errorCodeOf(() => openReply(reporter, sealed.slice(0, -1)))).toBe('decryption-failed');
    expect(errorCodeOf(() => sealReply(new Uint8Array(31), utf8Encode('x')))).toBe('key-invalid');
  });
});
