import { beforeAll, describe, expect, it } from 'vitest';
import { decryptReport, deriveCaseKeys, encryptReport, ENVELOPE_HEADER_BYTES, generateCaseToken, MESSAGE_PADDING_FLOOR, utf8Decode, utf8Encode, type CaseId } from '../../../crypto/index';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkRecipientKey, unlockPrivateKey } from '../../../crypto/index';
import { flipBit, makeInvestigator, packetSummary, patternBytes, type TestInvestigator, asyncErrorCodeOf } from '../../helpers/crypto';

let alice: TestInvestigator;
let bob: TestInvestigator;
let outsider: TestInvestigator;
let caseId: CaseId;
let otherCaseId: CaseId;

beforeAll(async () => {
  [alice, bob, outsider] = await Promise.all([makeInvestigator('Alice'), makeInvestigator('Bob'), makeInvestigator('Outsider')]);
  caseId = (await deriveCaseKeys(generateCaseToken())).caseId;
  otherCaseId = (await deriveCaseKeys(generateCaseToken())).caseId;
});

describe('reports for investigators', () => {
  it('when encrypted to two investigators, then each of them decrypts the exact text', async () => {
    const text = 'Procurement officer Q. took a bribe — ünïcödé ✓';
    const envelope = await encryptReport(text, [alice.recipient, bob.recipient], { caseId });
    for (const investigator of [alice, bob]) {
      expect(utf8Decode(await decryptReport(envelope, investigator.key, { caseId }))).toBe(text);
    }
  });

  it('when the plaintext is binary or empty, then it comes back byte for byte', async () => {
    for (const plaintext of [new Uint8Array(0), patternBytes(70_000)]) {
      const envelope = await encryptReport(plaintext, [alice.recipient], { caseId });
      expect(await decryptReport(envelope, alice.key, { caseId })).toEqual(plaintext);
    }
  });

  it('when the ciphertext is searched for the plaintext, then it is not there', async () => {
    const marker = 'PLAINTEXT-SENTINEL-4f1c';
    const envelope = await encryptReport(marker.repeat(20), [alice.recipient], { caseId });
    expect(Buffer.from(envelope).includes(marker)).toBe(false);
  });

  it('when reports of different lengths fall in one bucket, then their ciphertexts are the same size', async () => {
    const sizes = await Promise.all(
      [0, 1, 1000, 3900].map(async (length) => (await encryptReport(patternBytes(length), [alice.recipient], { caseId })).length),
    );
    expect(new Set(sizes).size).toBe(1);
    const larger = await encryptReport(patternBytes(MESSAGE_PADDING_FLOOR + 100), [alice.recipient], { caseId });
    expect(larger.length).toBeGreaterThan(sizes[0] as number);
  });

  it('when the reader has none of the recipient keys, then decryption fails with a typed error', async () => {
    const envelope = await encryptReport('secret', [alice.recipient], { caseId });
    expect(await asyncErrorCodeOf(decryptReport(envelope, outsider.key, { caseId }))).toBe('decryption-failed');
  });

  it('when a report is presented as another case’s or as another kind, then it is refused', async () => {
    const envelope = await encryptReport('secret', [alice.recipient], { caseId });
    expect(await asyncErrorCodeOf(decryptReport(envelope, alice.key, { caseId: otherCaseId }))).toBe('binding-mismatch');
    expect(await asyncErrorCodeOf(decryptReport(envelope, alice.key, { caseId, kind: 'note' }))).toBe('envelope-wrong-kind');
    // A server that also rewrites the header's kind is caught by the binding inside the encryption.
    const relabelled = envelope.slice();
    relabelled[5] = 3;
    expect(await asyncErrorCodeOf(decryptReport(relabelled, alice.key, { caseId, kind: 'note' }))).toBe('binding-mismatch');
  });

  it('when any single bit of the stored report is flipped, then decryption fails with a typed error', async () => {
    const envelope = await encryptReport(utf8Encode('tamper me'), [alice.recipient], { caseId });
    const codes = new Set<string>();
    for (let index = 0; index < envelope.length; index++) {
      const code = await asyncErrorCodeOf(decryptReport(flipBit(envelope, index), alice.key, { caseId }));
      expect(code, `bit flipped in byte ${index}`).not.toBe('no error');
      codes.add(code);
    }
    expect([...codes].sort()).toEqual(
      expect.arrayContaining(['decryption-failed', 'envelope-invalid', 'envelope-unknown-version']),
    );
  });

  it('when the envelope is cut short or has bytes appended, then it is refused', async () => {
    const envelope = await encryptReport('secret', [alice.recipient], { caseId });
    for (const length of [0, 3, ENVELOPE_HEADER_BYTES, ENVELOPE_HEADER_BYTES + 10, envelope.length - 1]) {
      expect(await asyncErrorCodeOf(decryptReport(envelope.slice(0, length), alice.key, { caseId }))).not.toBe('no error');
    }
    const extended = new Uint8Array([...envelope, 0xc0, 0x01]);
    expect(await asyncErrorCodeOf(decryptReport(extended, alice.key, { caseId }))).not.toBe('no error');
  });

  it('when a recipient key advertises SEIPD v2, then the message is still SEIPD v1 with AES-256 and decrypts', async () => {
    const fixture = (name: string) => readFileSync(join(import.meta.dirname, '../../fixtures/keys', name), 'utf8');
    const recipient = await checkRecipientKey(fixture('seipdv2-features.pub.asc'));
    const envelope = await encryptReport('still readable by GnuPG 2.2', [recipient], { caseId });
    const packets = packetSummary(envelope.subarray(ENVELOPE_HEADER_BYTES));
    expect(packets.map((packet) => packet.tag)).toEqual([1, 18]);
    expect(packets[0]!.firstByte).toBe(3); // PKESK v3
    expect(packets[1]!.firstByte).toBe(1); // SEIPD v1
    const key = await unlockPrivateKey(fixture('seipdv2-features.sec.asc'));
    expect(utf8Decode(await decryptReport(envelope, key, { caseId }))).toBe('still readable by GnuPG 2.2');
  });

  it('when the padding falls on a gap between packet header sizes, then encryption still pads exactly', async () => {
    // Data lengths whose padding is about 194 and 8389 bytes, where one padding packet cannot fit exactly.
    const lengths = [...Array.from({ length: 16 }, (_, i) => 3806 + i), ...Array.from({ length: 12 }, (_, i) => 1_040_090 + i)];
    for (const length of lengths) {
      const plaintext = patternBytes(length, length);
      const envelope = await encryptReport(plaintext, [alice.recipient], { caseId });
      // Buffer.equals, not toEqual: a deep comparison of a megabyte, byte by byte, took most of the test's time.
      expect(Buffer.from(await decryptReport(envelope, alice.key, { caseId })).equals(plaintext), `length ${length}`).toBe(true);
    }
  });

  it('when packets readers must ignore are added around the message, then it is refused', async () => {
    const envelope = await encryptReport('framing', [alice.recipient], { caseId });
    const header = envelope.subarray(0, ENVELOPE_HEADER_BYTES);
    const message = envelope.subarray(ENVELOPE_HEADER_BYTES);
    const marker = Uint8Array.of(0xca, 0x03, 0x50, 0x47, 0x50);
    const padding = Uint8Array.of(0xd5, 0x01, 0x00);
    for (const altered of [
      Buffer.concat([header, marker, message]),
      Buffer.concat([header, padding, message]),
      Buffer.concat([header, message, padding]),
      Buffer.concat([header, message, marker]),
    ]) {
      expect(await asyncErrorCodeOf(decryptReport(altered, alice.key, { caseId }))).toBe('decryption-failed');
    }
  });
});
