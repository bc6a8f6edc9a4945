import { beforeAll, describe, expect, it } from 'vitest';
import { decryptNotificationText, deriveCaseKeys, encryptNotificationText, encryptReport, ENVELOPE_HEADER_BYTES, generateCaseToken, NOTIFICATION_PADDING_FLOOR } from '../../../crypto/index';
import { asyncErrorCodeOf, makeInvestigator, type TestInvestigator } from '../../helpers/crypto';

let alice: TestInvestigator;
let outsider: TestInvestigator;

beforeAll(async () => {
  [alice, outsider] = await Promise.all([makeInvestigator('Alice'), makeInvestigator('Outsider')]);
});

describe('e-mail alerts encrypted to an investigator', () => {
  it('when encrypted, then it is one ASCII-armoured OpenPGP message that the investigator decrypts to the exact text', async () => {
    const text = 'Test body: 2 new cases — ünïcödé ✓\n';
    const armored = await encryptNotificationText(text, alice.recipient);
    expect(armored.startsWith('-----BEGIN PGP MESSAGE-----\n')).toBe(true);
    expect(armored.trimEnd().endsWith('-----END PGP MESSAGE-----')).toBe(true);
    expect(armored).not.toContain('Test body');
    expect(await decryptNotificationText(armored, alice.key)).toBe(text);
  });

  it('when the digest is short or a little longer, then the message is the same size (padded)', async () => {
    const short = await encryptNotificationText('1 new case', alice.recipient);
    const longer = await encryptNotificationText('x'.repeat(NOTIFICATION_PADDING_FLOOR / 2), alice.recipient);
    expect(longer.length).toBe(short.length);
  });

  it('when decrypted with another key, altered, or not armoured, then it fails with a code', async () => {
    const armored = await encryptNotificationText('1 new case', alice.recipient);
    expect(await asyncErrorCodeOf(decryptNotificationText(armored, outsider.key))).toBe('decryption-failed');
    const lines = armored.split('\n');
    const middle = Math.floor(lines.length / 2);
    const line = lines[middle]!;
    lines[middle] = (line[0] === 'A' ? 'B' : 'A') + line.slice(1);
    expect(await asyncErrorCodeOf(decryptNotificationText(lines.join('\n'), alice.key))).toMatch(/^(decryption-failed|encoding-invalid)$/);
    expect(await asyncErrorCodeOf(decryptNotificationText('1 new case', alice.key))).toBe('encoding-invalid');
  });

  it('when a report for the same key is armoured and passed off as an alert, then it is refused', async () => {
    const caseId = (await deriveCaseKeys(generateCaseToken())).caseId;
    const envelope = await encryptReport('a report', [alice.recipient], { caseId });
    // The report's OpenPGP message without Candor's envelope header, armoured as a mail program would.
    const base64 = Buffer.from(envelope.subarray(ENVELOPE_HEADER_BYTES)).toString('base64').replace(/(.{64})/g, '$1\n');
    const report = `-----BEGIN PGP MESSAGE-----\n\n${base64}\n-----END PGP MESSAGE-----\n`;
    expect(await asyncErrorCodeOf(decryptNotificationText(report, alice.key))).toBe('binding-mismatch');
  });
});
