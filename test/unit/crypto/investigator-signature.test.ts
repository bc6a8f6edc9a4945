import { describe, expect, it } from 'vitest';
import { deriveCaseKeys, generateCaseToken, signInvestigatorText, verifyInvestigatorText } from '../../../crypto/index';
import { asyncErrorCodeOf, makeInvestigator } from '../../helpers/crypto';

describe('replies and notes signed by an investigator with their OpenPGP key', async () => {
  const alice = await makeInvestigator('Alice');
  const mallory = await makeInvestigator('Mallory');
  const listed = [alice.recipient];
  const { caseId } = await deriveCaseKeys(generateCaseToken());
  const { caseId: otherCase } = await deriveCaseKeys(generateCaseToken());
  const text = 'We have received your report and opened an inquiry.';

  it('when a listed investigator signs a reply, then it verifies against the directory and names them', async () => {
    const signature = await signInvestigatorText(alice.key, { caseId, kind: 'reply' }, text);
    const signer = await verifyInvestigatorText(signature, { caseId, kind: 'reply' }, text, listed);
    expect(signer.fingerprint).toBe(listed[0]!.fingerprint);
  });

  it('when the text, case or kind differs from what was signed, then it does not verify', async () => {
    const signature = await signInvestigatorText(alice.key, { caseId, kind: 'reply' }, text);
    expect(await asyncErrorCodeOf(verifyInvestigatorText(signature, { caseId, kind: 'reply' }, `${text} Send us your name.`, listed))).toBe('signature-invalid');
    expect(await asyncErrorCodeOf(verifyInvestigatorText(signature, { caseId: otherCase, kind: 'reply' }, text, listed))).toBe('signature-invalid');
    expect(await asyncErrorCodeOf(verifyInvestigatorText(signature, { caseId, kind: 'note' }, text, listed))).toBe('signature-invalid');
  });

  it('when a key the directory does not list signs, then it does not verify', async () => {
    const signature = await signInvestigatorText(mallory.key, { caseId, kind: 'reply' }, text);
    expect(await asyncErrorCodeOf(verifyInvestigatorText(signature, { caseId, kind: 'reply' }, text, listed))).toBe('signature-invalid');
  });

  it('when the signature is not an OpenPGP signature, then it does not verify', async () => {
    expect(await asyncErrorCodeOf(verifyInvestigatorText('AAAA', { caseId, kind: 'reply' }, text, listed))).toBe('signature-invalid');
    expect(await asyncErrorCodeOf(verifyInvestigatorText('not base64url!', { caseId, kind: 'reply' }, text, listed))).toBe('signature-invalid');
  });

  it('when a reply is signed with its purpose, then it verifies only with that purpose', async () => {
    const signature = await signInvestigatorText(alice.key, { caseId, kind: 'reply', purpose: 'feedback' }, text);
    expect((await verifyInvestigatorText(signature, { caseId, kind: 'reply', purpose: 'feedback' }, text, listed)).fingerprint).toBe(alice.recipient.fingerprint);
    expect(await asyncErrorCodeOf(verifyInvestigatorText(signature, { caseId, kind: 'reply', purpose: 'acknowledgment' }, text, listed))).toBe('signature-invalid');
    expect(await asyncErrorCodeOf(verifyInvestigatorText(signature, { caseId, kind: 'reply' }, text, listed))).toBe('signature-invalid');
  });

  it('when a plain reply is shown as an acknowledgment or a feedback, then it does not verify', async () => {
    const signature = await signInvestigatorText(alice.key, { caseId, kind: 'reply' }, text);
    expect(await asyncErrorCodeOf(verifyInvestigatorText(signature, { caseId, kind: 'reply', purpose: 'acknowledgment' }, text, listed))).toBe('signature-invalid');
    expect(await asyncErrorCodeOf(verifyInvestigatorText(signature, { caseId, kind: 'reply', purpose: 'feedback' }, text, listed))).toBe('signature-invalid');
  });

  it('when a purpose is given to a note or is not one of the two, then nothing is signed', async () => {
    expect(await asyncErrorCodeOf(signInvestigatorText(alice.key, { caseId, kind: 'note', purpose: 'feedback' }, text))).toBe('signed-message-invalid');
    const unknown = { caseId, kind: 'reply', purpose: 'closing' } as unknown as Parameters<typeof signInvestigatorText>[1];
    expect(await asyncErrorCodeOf(signInvestigatorText(alice.key, unknown, text))).toBe('signed-message-invalid');
  });
});
