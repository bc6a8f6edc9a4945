/**
 * Authenticates a reporter's request by challenge–response (docs/protocol.md §4, docs/api.md
 * §Reporter routes) from its headers alone, before any of its body is read: the headers name the
 * case, a challenge, the SHA-256 of the body, and the signature over this exact request. Only then
 * is the body read, and it must match the signed digest. An unknown case and a bad signature fail
 * identically, after the same work. Every answer carries the next challenge, so a client makes one
 * round trip per request.
 */
import { createHash } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { deriveCaseKeys, generateCaseToken, verifyCaseRequest, type CaseId } from '../../crypto/index';
import type { Clock } from '../clock';
import { AppError } from '../errors';
import type { CaseRecord } from '../storage/cases-repository';
import type { IntakeService } from './intake-service';
import { CASE_ID_HEADER, CHALLENGE_HEADER, CONTENT_SHA256_HEADER, NEXT_CHALLENGE_HEADER, SIGNATURE_HEADER } from '../../protocol/intake-api';
import { caseIdSchema } from '../../protocol/wire';
import { SpentChallenges, type ChallengeSigner, type CheckedChallenge } from './signed-challenges';

/** A reporter's challenge lives a minute: each answer brings the next. */
const CASE_CHALLENGE_TTL_MS = 60_000;
/** A last bound on memory; entries come only from requests signed with a case key. */
const SPENT_CAPACITY = 500_000;

export interface ReporterLocals {
  caseRecord: CaseRecord;
  /** SHA-256 of the body, as the signature covers it. */
  bodySha256: Buffer;
}

const EMPTY_SHA256 = createHash('sha256').digest();

/** Reporter challenges: signed for one case, spent once a signed request redeems them. */
export class CaseChallenges {
  private readonly spent: SpentChallenges<object>;

  constructor(
    private readonly signer: ChallengeSigner,
    clock: Clock,
  ) {
    this.spent = new SpentChallenges(clock, SPENT_CAPACITY);
  }

  /** Issued for any well-formed case id, known or not, so that it reveals nothing and stores nothing. */
  issue(caseId: string): string {
    return this.signer.issue(caseId, CASE_CHALLENGE_TTL_MS);
  }

  check(challenge: string, caseId: string): CheckedChallenge | undefined {
    return this.signer.check(challenge, caseId);
  }

  spend(challenge: string, terms: CheckedChallenge): boolean {
    return this.spent.spend(challenge, terms.expiresAtMs, {});
  }
}

const refusal = () => new AppError('unauthorized', 'The case token does not match, or the challenge expired. Fetch a new challenge and try again.');

function declaresBody(req: Request): boolean {
  const length = req.get('content-length');
  return length === undefined ? req.get('transfer-encoding') !== undefined : length !== '0';
}

/** The digest the signature must cover: the header's for a request with a body, else that of no bytes. */
function declaredDigest(req: Request): Buffer | undefined {
  if (!declaresBody(req)) return EMPTY_SHA256;
  const header = req.get(CONTENT_SHA256_HEADER) ?? '';
  return /^[0-9a-f]{64}$/.test(header) ? Buffer.from(header, 'hex') : undefined;
}

export function reporterAuth(service: IntakeService, challenges: CaseChallenges) {
  // A real Ed25519 key of no case: verifying against it costs what verifying a real case costs.
  const decoyKey = deriveCaseKeys(generateCaseToken()).then((keys) => keys.authPublicKey);

  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    try {
      const parsedId = caseIdSchema.safeParse(req.get(CASE_ID_HEADER));
      const challenge = req.get(CHALLENGE_HEADER) ?? '';
      const signature = req.get(SIGNATURE_HEADER) ?? '';
      const bodySha256 = declaredDigest(req);
      if (!parsedId.success || bodySha256 === undefined) throw refusal();
      const caseId = parsedId.data as CaseId;
      // Checking the challenge costs an HMAC and says nothing about the case, so a request without
      // a live one is refused before the signature is checked.
      const terms = challenges.check(challenge, caseId);
      if (terms === undefined) throw refusal();
      const caseRecord = service.findCase(caseId);
      const request = { caseId, challenge, method: req.method, path: req.originalUrl, bodySha256 };
      const verified = await verifyCaseRequest(caseRecord?.authPublicKey ?? (await decoyKey), request, signature).then(
        () => true,
        () => false,
      );
      if (!verified || caseRecord === undefined || !challenges.spend(challenge, terms)) throw refusal();
      Object.assign(res.locals as ReporterLocals, { caseRecord, bodySha256 });
      res.setHeader(NEXT_CHALLENGE_HEADER, challenges.issue(caseId));
      next();
    } catch (error) {
      next(error);
    }
  };
}

/** After reporterAuth and a body parser: the body read must be the one whose digest was signed. */
export function bodyMatchesSignature(req: Request, res: Response, next: NextFunction): void {
  const body: Uint8Array = Buffer.isBuffer(req.body) ? req.body : new Uint8Array(0);
  const actual = createHash('sha256').update(body).digest();
  if (!actual.equals((res.locals as ReporterLocals).bodySha256)) {
    next(new AppError('bad-request', 'The body does not match the SHA-256 its signature covers.'));
    return;
  }
  next();
}
