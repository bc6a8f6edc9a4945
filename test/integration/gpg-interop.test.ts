/**
 * Interoperability with GnuPG, the tool investigators use offline: what crypto/ writes, gpg reads to
 * the same bytes, and what gpg writes, crypto/ reads. Runs the real `gpg` binary (.ci/run installs it).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  checkRecipientKey,
  CryptoError,
  decryptReport,
  deriveCaseKeys,
  encryptAttachment,
  encryptReport,
  ENVELOPE_HEADER_BYTES,
  generateCaseToken,
  generateInvestigatorKey,
  newAttachmentId,
  unlockPrivateKey,
  utf8Encode,
  type CaseId,
  type DecryptionKey,
  type RecipientKey,
} from '../../crypto/index';
import { attachmentFrames, patternBytes, readAll, streamOf, TEST_PASSPHRASE } from '../helpers/crypto';

// The envelope header of a report as docs/protocol.md defines it: "CNDR", version 1, kind 1, OpenPGP.
const REPORT_HEADER = Uint8Array.of(0x43, 0x4e, 0x44, 0x52, 1, 1, 1);

let home: string;
let fingerprint: string;
let recipient: RecipientKey;
let gpgSecretKey: DecryptionKey;
let caseId: CaseId;

function gpg(args: readonly string[], input?: Uint8Array): { stdout: Buffer; stderr: string; status: number | null } {
  const result = spawnSync('gpg', ['--homedir', home, '--batch', '--no-tty', '--pinentry-mode', 'loopback', ...args], {
    input,
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.error) throw result.error;
  return { stdout: result.stdout, stderr: result.stderr.toString(), status: result.status };
}

/** Decrypts with gpg and insists that gpg saw an integrity-protected message and was happy with it. */
function gpgDecrypt(message: Uint8Array, passphrase = ''): Buffer {
  const result = gpg(['--passphrase', passphrase, '--status-fd', '2', '--decrypt'], message);
  expect(result.status, result.stderr).toBe(0);
  expect(result.stderr).toContain('[GNUPG:] DECRYPTION_OKAY');
  expect(result.stderr).toContain('[GNUPG:] GOODMDC');
  return result.stdout;
}

beforeAll(async () => {
  home = mkdtempSync(join(tmpdir(), 'candor-gpg-'));
  gpg(['--passphrase', '', '--quick-gen-key', 'GnuPG Investigator <gpg@candor.invalid>', 'ed25519', 'sign', 'never']);
  fingerprint = execFileSync('gpg', ['--homedir', home, '--with-colons', '--list-keys'])
    .toString()
    .split('\n')
    .find((line) => line.startsWith('fpr:'))!
    .split(':')[9]!;
  gpg(['--passphrase', '', '--quick-add-key', fingerprint, 'cv25519', 'encr', 'never']);
  recipient = await checkRecipientKey(gpg(['--armor', '--export', fingerprint]).stdout.toString());
  gpgSecretKey = await unlockPrivateKey(gpg(['--passphrase', '', '--armor', '--export-secret-keys', fingerprint]).stdout.toString());
  caseId = (await deriveCaseKeys(generateCaseToken())).caseId;
});

afterAll(() => {
  spawnSync('gpgconf', ['--homedir', home, '--kill', 'gpg-agent']);
  rmSync(home, { recursive: true, force: true });
});

describe('GnuPG interoperability', () => {
  it('when gpg is asked for its version, then it is GnuPG 2.2 or later (the oldest reader we promise)', () => {
    const version = /gpg \(GnuPG\) (\d+)\.(\d+)/.exec(execFileSync('gpg', ['--version']).toString());
    expect(version).not.toBeNull();
    expect(Number(version![1]) * 100 + Number(version![2])).toBeGreaterThanOrEqual(202);
  });

  it('when crypto/ encrypts a report to a gpg key, then `gpg --decrypt` outputs exactly the report', async () => {
    const report = utf8Encode('{"format":"candor-report","version":1,"text":"Minister’s brother won every tender — ünïcödé"}');
    const envelope = await encryptReport(report, [recipient], { caseId });
    expect(gpgDecrypt(envelope.subarray(ENVELOPE_HEADER_BYTES))).toEqual(Buffer.from(report));
  });

  it('when crypto/ encrypts an attachment, then gpg decrypts every chunk and the chunks join to the exact file', async () => {
    // Padmé rounds 180 000 bytes up to 180 224: three data chunks and one of pure padding, which gpg
    // must decrypt to nothing.
    const file = patternBytes(180_000);
    const binding = { caseId, attachmentId: newAttachmentId() };
    const stored = await readAll(encryptAttachment(streamOf(file), [recipient], binding, { chunkBytes: 60_000 }));
    const frames = attachmentFrames(stored, ENVELOPE_HEADER_BYTES);
    expect(frames).toHaveLength(4);
    expect(Buffer.concat(frames.map((frame) => gpgDecrypt(frame)))).toEqual(Buffer.from(file));
  });

  it('when gpg encrypts an uncompressed message with the report binding, then decryptReport reads it', async () => {
    const text = 'written by GnuPG for crypto/';
    const message = gpg(
      ['--trust-model', 'always', '--compress-algo', 'none', '--set-filename', `candor1.report.${caseId}`, '--recipient', fingerprint, '--encrypt'],
      utf8Encode(text),
    ).stdout;
    const envelope = Buffer.concat([REPORT_HEADER, message]);
    expect(Buffer.from(await decryptReport(envelope, gpgSecretKey, { caseId })).toString()).toBe(text);
  });

  it('when gpg compresses the message (its default), then decryptReport refuses it as the protocol requires', async () => {
    const message = gpg(
      ['--trust-model', 'always', '--set-filename', `candor1.report.${caseId}`, '--recipient', fingerprint, '--encrypt'],
      utf8Encode('compressible '.repeat(100)),
    ).stdout;
    await expect(decryptReport(Buffer.concat([REPORT_HEADER, message]), gpgSecretKey, { caseId })).rejects.toSatisfy(
      (error) => error instanceof CryptoError && error.code === 'decryption-failed',
    );
  });

  it('when an investigator key made by crypto/ is imported into gpg with its passphrase, then gpg decrypts with it', async () => {
    const generated = await generateInvestigatorKey({ name: 'Browser Investigator', passphrase: TEST_PASSPHRASE });
    const keyFile = join(home, 'browser-key.asc');
    writeFileSync(keyFile, generated.armoredPrivateKey);
    expect(gpg(['--passphrase', TEST_PASSPHRASE, '--import', keyFile]).status).toBe(0);
    const envelope = await encryptReport('for the browser-made key', [await checkRecipientKey(generated.armoredPublicKey)], { caseId });
    expect(gpgDecrypt(envelope.subarray(ENVELOPE_HEADER_BYTES), TEST_PASSPHRASE).toString()).toBe('for the browser-made key');
  });
});
