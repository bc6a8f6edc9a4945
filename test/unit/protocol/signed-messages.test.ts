import { describe, expect, it } from 'vitest';
import { deriveCaseKeys, generateCaseToken, generateDirectoryKeyPair, signDirectory, toBase64Url, utf8Encode, type DirectoryDocument } from '../../../crypto/index';
import { verifyBodyDirectory } from '../../../protocol/body-directory';
import { DEFAULT_QUESTIONNAIRE } from '../../../protocol/default-questionnaire';
import { readInvestigatorMessage, writeInvestigatorMessage } from '../../../protocol/investigator-messages';
import { readFollowupMessage, readReportMessage, writeFollowupMessage, writeReportMessage } from '../../../protocol/reporter-messages';
import { makeInvestigator } from '../../helpers/crypto';

describe('reporter messages read by the console', async () => {
  const reporter = await deriveCaseKeys(generateCaseToken());
  const server = await deriveCaseKeys(generateCaseToken());
  const caseAuthKey = toBase64Url(reporter.authPublicKey);

  it('when the server re-signs a report naming its own keys under the case id, then it is refused (the signer must be the key the report names, and the binding the case)', async () => {
    const forged = await writeReportMessage({ ...server, caseId: reporter.caseId }, {
      format: 'candor-report',
      version: 2,
      bodyId: 'a-body',
      directorySerial: 1,
      caseKeys: { auth: caseAuthKey, reply: toBase64Url(server.replyPublicKey) },
      answers: {},
      attachments: [],
    });
    await expect(readReportMessage(forged, reporter.caseId)).rejects.toMatchObject({ code: 'signature-invalid' });
  });

  it('when a follow-up is signed by another key than the report names, then it is refused', async () => {
    const injected = await writeFollowupMessage({ ...server, caseId: reporter.caseId }, 'Please send your phone number.', []);
    await expect(readFollowupMessage(injected, reporter.caseId, caseAuthKey)).rejects.toMatchObject({ code: 'signature-invalid' });
    await expect(readFollowupMessage(injected, reporter.caseId, null)).rejects.toMatchObject({ code: 'signature-invalid' });
  });

  it('when a follow-up is unsigned, then it reads as unsigned for the caller to judge', async () => {
    expect(await readFollowupMessage(utf8Encode('Plain text.'), reporter.caseId, caseAuthKey)).toMatchObject({ signed: false, document: { version: 1 } });
    expect(await readFollowupMessage(await writeFollowupMessage(reporter, 'Mine.', []), reporter.caseId, caseAuthKey)).toMatchObject({ signed: true });
  });
});

describe('investigator messages', async () => {
  const alice = await makeInvestigator('Alice');
  const mallory = await makeInvestigator('Mallory');
  const { caseId } = await deriveCaseKeys(generateCaseToken());

  it('when a listed investigator signs a reply, then it reads as signed by them', async () => {
    const json = await writeInvestigatorMessage(alice.key, { caseId, kind: 'reply' }, 'We are on it.');
    const read = await readInvestigatorMessage(utf8Encode(json), { caseId, kind: 'reply' }, [alice.recipient]);
    expect(read).toMatchObject({ text: 'We are on it.', authenticity: { kind: 'signed', signer: { fingerprint: alice.recipient.fingerprint } } });
  });

  it('when the signer is not listed, the text was changed, or the document names another signer, then it reads as forged', async () => {
    const byMallory = await writeInvestigatorMessage(mallory.key, { caseId, kind: 'reply' }, 'Send us your name.');
    expect((await readInvestigatorMessage(utf8Encode(byMallory), { caseId, kind: 'reply' }, [alice.recipient])).authenticity.kind).toBe('forged');
    const changed = JSON.parse(await writeInvestigatorMessage(alice.key, { caseId, kind: 'reply' }, 'We are on it.')) as { text: string; signer: string };
    expect((await readInvestigatorMessage(utf8Encode(JSON.stringify({ ...changed, text: 'Send us your name.' })), { caseId, kind: 'reply' }, [alice.recipient])).authenticity.kind).toBe('forged');
    expect((await readInvestigatorMessage(utf8Encode(JSON.stringify({ ...changed, signer: mallory.recipient.fingerprint })), { caseId, kind: 'reply' }, [alice.recipient, mallory.recipient])).authenticity.kind).toBe('forged');
  });

  it('when a note is shown as a reply, then it does not verify (the kind is signed)', async () => {
    const note = JSON.parse(await writeInvestigatorMessage(alice.key, { caseId, kind: 'note' }, 'Internal.')) as Record<string, unknown>;
    const relabelled = utf8Encode(JSON.stringify({ ...note, format: 'candor-reply' }));
    expect((await readInvestigatorMessage(relabelled, { caseId, kind: 'reply' }, [alice.recipient])).authenticity.kind).toBe('forged');
  });

  it('when a reply is written as the acknowledgment or the feedback, then it reads as signed with that purpose', async () => {
    for (const purpose of ['acknowledgment', 'feedback'] as const) {
      const json = await writeInvestigatorMessage(alice.key, { caseId, kind: 'reply', purpose }, 'We received your report.');
      expect(JSON.parse(json)).toMatchObject({ format: 'candor-reply', purpose });
      const read = await readInvestigatorMessage(utf8Encode(json), { caseId, kind: 'reply' }, [alice.recipient]);
      expect(read).toMatchObject({ text: 'We received your report.', purpose, authenticity: { kind: 'signed' } });
    }
  });

  it('when a reply has no purpose, then its document has none and it reads without one', async () => {
    const json = await writeInvestigatorMessage(alice.key, { caseId, kind: 'reply' }, 'Thank you.');
    expect(Object.keys(JSON.parse(json) as object).sort()).toEqual(['format', 'signature', 'signer', 'text', 'version']);
    expect(await readInvestigatorMessage(utf8Encode(json), { caseId, kind: 'reply' }, [alice.recipient])).not.toHaveProperty('purpose');
  });

  it('when a purpose is altered, removed or added, then the reply reads as forged and shows no purpose', async () => {
    const feedback = JSON.parse(await writeInvestigatorMessage(alice.key, { caseId, kind: 'reply', purpose: 'feedback' }, 'We closed the inquiry.')) as Record<string, unknown>;
    const plain = JSON.parse(await writeInvestigatorMessage(alice.key, { caseId, kind: 'reply' }, 'Thank you.')) as Record<string, unknown>;
    const withoutPurpose = Object.fromEntries(Object.entries(feedback).filter(([key]) => key !== 'purpose'));
    const tampered = [{ ...feedback, purpose: 'acknowledgment' }, withoutPurpose, { ...plain, purpose: 'feedback' }, { ...feedback, purpose: 'closing' }];
    for (const document of tampered) {
      const read = await readInvestigatorMessage(utf8Encode(JSON.stringify(document)), { caseId, kind: 'reply' }, [alice.recipient]);
      expect(read.authenticity.kind).toBe('forged');
      expect(read).not.toHaveProperty('purpose');
    }
  });

  it('when a purpose is signed by a key the directory does not list, then the reply reads as forged with no purpose', async () => {
    const byMallory = await writeInvestigatorMessage(mallory.key, { caseId, kind: 'reply', purpose: 'feedback' }, 'Feedback.');
    const read = await readInvestigatorMessage(utf8Encode(byMallory), { caseId, kind: 'reply' }, [alice.recipient]);
    expect(read.authenticity.kind).toBe('forged');
    expect(read).not.toHaveProperty('purpose');
  });

  it('when a note names a purpose, then it reads as forged', async () => {
    const note = JSON.parse(await writeInvestigatorMessage(alice.key, { caseId, kind: 'note' }, 'Internal.')) as Record<string, unknown>;
    const read = await readInvestigatorMessage(utf8Encode(JSON.stringify({ ...note, purpose: 'feedback' })), { caseId, kind: 'note' }, [alice.recipient]);
    expect(read.authenticity.kind).toBe('forged');
  });

  it('when the bytes are not UTF-8, then they read as forged with no text', async () => {
    expect(await readInvestigatorMessage(Uint8Array.of(0xff, 0xfe, 0x41), { caseId, kind: 'reply' }, [alice.recipient])).toEqual({ text: '', authenticity: { kind: 'forged' } });
  });

  it('when the message is plain text (version 1), then it reads as unsigned with its text', async () => {
    expect(await readInvestigatorMessage(utf8Encode('Thank you.'), { caseId, kind: 'reply' }, [alice.recipient])).toEqual({ text: 'Thank you.', authenticity: { kind: 'unsigned' } });
  });
});

describe('verifyBodyDirectory', async () => {
  const alice = await makeInvestigator('Alice');
  const key = generateDirectoryKeyPair();
  const now = new Date(Date.now() + 60_000);
  const document = (intake: Record<string, unknown>): DirectoryDocument => ({
    format: 'candor-directory',
    version: 2,
    body: { id: 'a-body', name: 'A Body' },
    serial: 4,
    issuedOn: now.toISOString().slice(0, 10),
    expiresOn: '2099-12-31',
    recipients: [{ label: 'alice', role: 'Case officer', fingerprint: alice.generated.fingerprint, publicKey: alice.generated.armoredPublicKey }],
    intake,
  });
  const pins = { 'a-body': { keys: [key.publicKey], minimumSerial: 4 } };

  it('when a body is not pinned in this build, then its directory is refused whoever signed it', async () => {
    const signed = signDirectory(document({ questionnaire: DEFAULT_QUESTIONNAIRE }), key.secretKey);
    await expect(verifyBodyDirectory(signed, { pins: { 'other-body': pins['a-body'] }, bodyId: 'a-body', now })).rejects.toMatchObject({ code: 'directory-not-pinned' });
    await expect(verifyBodyDirectory(signed, { pins, bodyId: 'constructor', now })).rejects.toMatchObject({ code: 'directory-not-pinned' });
  });

  it('when the pin’s minimum serial or the caller’s is above the directory’s, then it is refused as outdated', async () => {
    const signed = signDirectory(document({ questionnaire: DEFAULT_QUESTIONNAIRE }), key.secretKey);
    await expect(verifyBodyDirectory(signed, { pins: { 'a-body': { ...pins['a-body'], minimumSerial: 5 } }, bodyId: 'a-body', now })).rejects.toMatchObject({ code: 'directory-outdated' });
    await expect(verifyBodyDirectory(signed, { pins, bodyId: 'a-body', minimumSerial: 5, now })).rejects.toMatchObject({ code: 'directory-outdated' });
  });

  it('when the signed questionnaire is malformed, then the directory is refused', async () => {
    const signed = signDirectory(document({ questionnaire: { format: 'candor-questionnaire', version: 1, questions: [] } }), key.secretKey);
    await expect(verifyBodyDirectory(signed, { pins, bodyId: 'a-body', now })).rejects.toMatchObject({ code: 'directory-invalid' });
  });

  it('when it verifies, then the name, questionnaire, policy and roles are the signed ones', async () => {
    const signed = signDirectory(document({ questionnaire: DEFAULT_QUESTIONNAIRE, policy: { en: 'Only case officers read reports.' } }), key.secretKey);
    const verified = await verifyBodyDirectory(signed, { pins, bodyId: 'a-body', now });
    expect(verified).toMatchObject({ name: 'A Body', serial: 4, questionnaire: DEFAULT_QUESTIONNAIRE, policy: { en: 'Only case officers read reports.' } });
    expect(verified.roles.get(alice.generated.fingerprint)).toBe('Case officer');
  });
});
