import { beforeAll, describe, expect, it } from 'vitest';
import {
  CryptoError,
  fromBase64Url,
  generateDirectoryKeyPair,
  signDirectory,
  toBase64Url,
  utf8Decode,
  utf8Encode,
  verifyDirectory,
  type CryptoErrorCode,
  type DirectoryDocument,
  type DirectoryKeyPair,
  type SignedDirectory,
} from '../../../crypto/index';
import { makeInvestigator, type TestInvestigator } from '../../helpers/crypto';

// Key checks happen at this time too, so it must come after the test keys are made.
const NOW = new Date(Date.now() + 60_000);
const day = (offsetDays: number) => new Date(NOW.getTime() + offsetDays * 86_400_000).toISOString().slice(0, 10);
const EXPIRES_ON = day(180);

let bodyKey: DirectoryKeyPair;
let investigators: TestInvestigator[];
let document: Extract<DirectoryDocument, { version: 1 }>;
let signed: SignedDirectory;

beforeAll(async () => {
  bodyKey = generateDirectoryKeyPair();
  investigators = await Promise.all([makeInvestigator('Ana'), makeInvestigator('Ben')]);
  document = {
    format: 'candor-directory',
    version: 1,
    body: { id: 'national-anti-corruption-office', name: 'National Anti-Corruption Office' },
    issuedOn: day(-1),
    expiresOn: EXPIRES_ON,
    recipients: investigators.map((investigator, i) => ({
      label: `Investigator ${i + 1}`,
      fingerprint: investigator.generated.fingerprint,
      publicKey: investigator.generated.armoredPublicKey,
    })),
  };
  signed = signDirectory(document, bodyKey.secretKey);
});

async function codeOf(candidate: unknown, pinnedKeys: readonly string[] = [bodyKey.publicKey], now = NOW) {
  try {
    await verifyDirectory(candidate, { pinnedKeys, bodyId: document.body.id, now });
    return 'no error';
  } catch (error) {
    if (error instanceof CryptoError) return error.code as CryptoErrorCode;
    throw error;
  }
}

function withPayload(change: (doc: DirectoryDocument) => unknown): SignedDirectory {
  const payload = utf8Encode(JSON.stringify(change(structuredClone(document))));
  return { ...signed, payload: toBase64Url(payload) };
}

describe('recipient directories', () => {
  it('when signed by the pinned body key, then it verifies and yields each investigator as a recipient', async () => {
    const verified = await verifyDirectory(JSON.parse(JSON.stringify(signed)), { pinnedKeys: [bodyKey.publicKey], bodyId: document.body.id, now: NOW });
    expect(verified.document).toEqual(document);
    expect(verified.recipients.map((r) => r.fingerprint)).toEqual(investigators.map((i) => i.generated.fingerprint));
    expect(verified.signerKey).toBe(bodyKey.publicKey);
  });

  it('when one of several pinned keys signed it (key rotation), then it verifies', async () => {
    expect(await codeOf(signed, [generateDirectoryKeyPair().publicKey, bodyKey.publicKey])).toBe('no error');
  });

  it('when it carries no signature, then it is refused as unsigned', async () => {
    expect(await codeOf({ ...signed, signature: '' })).toBe('directory-unsigned');
    const unsigned: Partial<SignedDirectory> = { ...signed };
    delete unsigned.signature;
    expect(await codeOf(unsigned)).toBe('directory-unsigned');
  });

  it('when a key the site does not pin signed it, then it is refused, even if the signature is valid', async () => {
    const impostor = signDirectory(document, generateDirectoryKeyPair().secretKey);
    expect(await codeOf(impostor)).toBe('directory-not-pinned');
    expect(await codeOf(signed, [])).toBe('directory-not-pinned');
  });

  it('when the server swaps in a key of its own, then the signature no longer matches', async () => {
    const attacker = await makeInvestigator('Attacker');
    const tampered = withPayload((doc) => ({
      ...doc,
      recipients: [{ label: 'Investigator 1', fingerprint: attacker.generated.fingerprint, publicKey: attacker.generated.armoredPublicKey }],
    }));
    expect(await codeOf(tampered)).toBe('signature-invalid');
  });

  it('when any bit of the payload or signature is flipped, then it is refused', async () => {
    for (const field of ['payload', 'signature'] as const) {
      const bytes = fromBase64Url(signed[field]);
      for (let i = 0; i < bytes.length; i += Math.max(1, Math.floor(bytes.length / 40))) {
        const flipped = bytes.slice();
        flipped[i] = (flipped[i] as number) ^ 0x04;
        expect(await codeOf({ ...signed, [field]: toBase64Url(flipped) })).toBe('signature-invalid');
      }
    }
  });

  it('when it has expired, then it is refused; on its last day it is still valid', async () => {
    expect(await codeOf(signed, [bodyKey.publicKey], new Date(`${EXPIRES_ON}T23:59:00Z`))).toBe('no error');
    expect(await codeOf(signed, [bodyKey.publicKey], new Date(new Date(`${EXPIRES_ON}T00:00:00Z`).getTime() + 86_400_000))).toBe(
      'directory-expired',
    );
  });

  it('when a listed fingerprint does not match its key, then it is refused', async () => {
    const mismatched = { ...document, recipients: [{ ...document.recipients[0]!, fingerprint: investigators[1]!.generated.fingerprint }] };
    expect(await codeOf(signDirectory(mismatched, bodyKey.secretKey))).toBe('directory-invalid');
  });

  it('when a listed key is unacceptable (here a private key), then the whole directory is refused', async () => {
    const leaky = { ...document, recipients: [{ ...document.recipients[0]!, publicKey: investigators[0]!.generated.armoredPrivateKey }] };
    expect(await codeOf(signDirectory(leaky, bodyKey.secretKey))).toBe('key-is-private');
  });

  it('when the signed object or its payload is malformed, then it is refused as invalid', async () => {
    for (const candidate of [null, 'text', 42, { ...signed, version: 2 }, { ...signed, extra: true }, { ...signed, payload: '!!' }]) {
      expect(await codeOf(candidate)).toMatch(/^directory-(invalid|unsigned)$/);
    }
    const notJson = { ...signed, payload: toBase64Url(utf8Encode('not json')) };
    const resigned = { ...notJson, signature: signDirectory(document, bodyKey.secretKey).signature };
    expect(await codeOf(resigned)).toBe('signature-invalid');
    expect(utf8Decode(fromBase64Url(signed.payload))).toContain('"format":"candor-directory"');
  });

  it('when signing a document that breaks the schema, even in a nested field, then signing refuses it', () => {
    expect(() => signDirectory({ ...document, recipients: [] }, bodyKey.secretKey)).toThrow();
    expect(() => signDirectory({ ...document, body: { ...document.body, extra: 1 } } as DirectoryDocument, bodyKey.secretKey)).toThrow();
  });

  it('when the directory claims to be issued in the future, then it is refused', async () => {
    const future = signDirectory({ ...document, issuedOn: day(3), expiresOn: day(300) }, bodyKey.secretKey);
    expect(await codeOf(future)).toBe('directory-invalid');
    const tomorrow = signDirectory({ ...document, issuedOn: day(1) }, bodyKey.secretKey);
    expect(await codeOf(tomorrow)).toBe('no error');
  });

  it('when a pinned key is malformed, then verification says so instead of trusting nothing quietly', async () => {
    expect(await codeOf(signed, ['AAAA'])).toBe('key-invalid');
  });

  describe('version 2', () => {
    const v2 = () => ({
      format: 'candor-directory' as const,
      version: 2 as const,
      body: document.body,
      serial: 7,
      issuedOn: document.issuedOn,
      expiresOn: document.expiresOn,
      recipients: document.recipients.map((recipient) => ({ ...recipient, role: 'Case officer' })),
      intake: { questionnaire: { anything: 'checked by the application' } },
    });

    it('when a version 2 directory is signed, then it verifies with its serial and roles', async () => {
      const verified = await verifyDirectory(signDirectory(v2(), bodyKey.secretKey), { pinnedKeys: [bodyKey.publicKey], bodyId: document.body.id, minimumSerial: 7, now: NOW });
      expect(verified.document.version === 2 && verified.document.serial).toBe(7);
      expect(verified.document.version === 2 && verified.document.recipients.map((recipient) => recipient.role)).toEqual(['Case officer', 'Case officer']);
    });

    it('when the directory is another body’s, however well signed, then it is refused for the body chosen', async () => {
      const other = signDirectory({ ...v2(), body: { id: 'regional-audit-office', name: 'Regional Audit Office' } }, bodyKey.secretKey);
      expect(await codeOf(other)).toBe('directory-wrong-body');
    });

    it('when its serial is below the minimum (an older directory replayed), then it is refused as outdated', async () => {
      const older = signDirectory({ ...v2(), serial: 6 }, bodyKey.secretKey);
      await expect(verifyDirectory(older, { pinnedKeys: [bodyKey.publicKey], bodyId: document.body.id, minimumSerial: 7, now: NOW })).rejects.toMatchObject({ code: 'directory-outdated' });
      // A version 1 directory has no serial: it counts as 0.
      await expect(verifyDirectory(signed, { pinnedKeys: [bodyKey.publicKey], bodyId: document.body.id, minimumSerial: 1, now: NOW })).rejects.toMatchObject({ code: 'directory-outdated' });
    });

    it('when a version 2 recipient has no role, or the intake texts are missing, then it cannot be signed', () => {
      const withoutIntake: Record<string, unknown> = v2();
      delete withoutIntake['intake'];
      expect(() => signDirectory(withoutIntake as unknown as DirectoryDocument, bodyKey.secretKey)).toThrow();
      const noRole = { ...v2(), recipients: document.recipients };
      expect(() => signDirectory(noRole as unknown as DirectoryDocument, bodyKey.secretKey)).toThrow();
    });
  });
});
