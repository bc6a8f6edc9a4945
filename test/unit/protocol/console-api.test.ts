/** The console contract's own rules (protocol/console-api/): what a request may hold, and answers that hold nothing else. */
import { describe, expect, it } from 'vitest';
import { deriveCaseKeys, encryptReport, generateCaseToken, sealReply, toBase64Url, utf8Encode } from '../../../crypto/index';
import {
  caseListQuerySchema,
  newAccountRequestSchema,
  objectCreatedAnswerSchema,
  replyRequestSchema,
  secondFactorsSchema,
  workflowChangeRequestSchema,
} from '../../../protocol/console-api/index';
import { makeInvestigator } from '../../helpers/crypto';

describe('the console API requests', () => {
  it('when a workflow change asks for nothing, then it is refused; labels are trimmed and checked by the shared rule', () => {
    expect(workflowChangeRequestSchema.safeParse({}).success).toBe(false);
    expect(workflowChangeRequestSchema.parse({ labels: ['  fraud '] })).toEqual({ labels: ['fraud'] });
    expect(workflowChangeRequestSchema.safeParse({ labels: ['no, sentences.'] }).success).toBe(false);
    expect(workflowChangeRequestSchema.safeParse({ priority: 'high', extra: true }).success).toBe(false);
  });

  it('when the case list is asked for, then the limit arrives as text and defaults to 50', () => {
    expect(caseListQuerySchema.parse({})).toEqual({ limit: 50 });
    expect(caseListQuerySchema.parse({ limit: '200', assignee: 'me' })).toEqual({ limit: 200, assignee: 'me' });
    expect(caseListQuerySchema.safeParse({ limit: '201' }).success).toBe(false);
  });

  it('when a new account lists a body twice, then it is refused; no body list means none', () => {
    expect(newAccountRequestSchema.safeParse({ username: 'alice', role: 'investigator', bodies: ['a-body', 'a-body'] }).success).toBe(false);
    expect(newAccountRequestSchema.parse({ username: 'root', role: 'admin' })).toEqual({ username: 'root', role: 'admin', bodies: [] });
  });

  it('when a reply is sent, then each envelope must be of its kind and within the size the server sets', async () => {
    const keys = await deriveCaseKeys(generateCaseToken());
    const investigator = await makeInvestigator();
    const sealed = toBase64Url(sealReply(keys.replyPublicKey, utf8Encode('a reply'), 'reply'));
    const copy = toBase64Url(await encryptReport('a reply', [investigator.recipient], { caseId: keys.caseId, kind: 'reply-copy' }));
    expect(replyRequestSchema(1 << 20).safeParse({ sealed, copy }).success).toBe(true);
    expect(replyRequestSchema(1 << 20).safeParse({ sealed: copy, copy: sealed }).success).toBe(false);
    expect(replyRequestSchema(16).safeParse({ sealed, copy }).success).toBe(false);
  });
});

describe('the console API answers', () => {
  it('when an answer carries a field the contract does not name, then it is refused, so nothing leaks into one unnoticed', () => {
    expect(objectCreatedAnswerSchema.safeParse({ seq: 3 }).success).toBe(true);
    expect(objectCreatedAnswerSchema.safeParse({ seq: 3, ciphertext: 'x' }).success).toBe(false);
    expect(secondFactorsSchema.safeParse({ totp: true, webauthn: 0, recoveryCodesLeft: 10, totpSecret: 'x' }).success).toBe(false);
  });
});
