/**
 * Authenticates a reporter's request by challenge–response (docs/protocol.md §Reporter
 * authentication). The headers name the case, a challenge from POST /api/v1/case/challenge, and the
 * signature over this exact request. Every answer carries the next challenge, so a client makes one
 * round trip per request. An unknown case and a bad signature fail identically, after the same work.
 */
import type { NextFunction, Request, Response } from 'express';
import { deriveCaseKeys, generateCaseToken, verifyCaseRequest, type CaseId } from '../../crypto/index';
import { AppError } from '../errors';
import type { CaseRecord } from '../storage/cases-repository';
import type { ChallengeStore } from './challenge-store';
import type { IntakeService } from './intake-service';
import { caseIdSchema } from './schemas';

export const CASE_ID_HEADER = 'candor-case-id';
export const CHALLENGE_HEADER = 'candor-challenge';
export const SIGNATURE_HEADER = 'candor-signature';
export const NEXT_CHALLENGE_HEADER = 'candor-next-challenge';

export interface ReporterLocals {
  caseRecord: CaseRecord;
}

const refusal = () => new AppError('unauthorized', 'The case token does not match, or the challenge expired. Fetch a new challenge and try again.');

export function reporterAuth(service: IntakeService, challenges: ChallengeStore) {
  // A real Ed25519 key of no case: verifying against it costs what verifying a real case costs.
  const decoyKey = deriveCaseKeys(generateCaseToken()).then((keys) => keys.authPublicKey);

  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    try {
      const parsedId = caseIdSchema.safeParse(req.get(CASE_ID_HEADER));
      const challenge = req.get(CHALLENGE_HEADER) ?? '';
      const signature = req.get(SIGNATURE_HEADER) ?? '';
      if (!parsedId.success) throw refusal();
      const caseId = parsedId.data as CaseId;
      const fresh = challenges.consume(challenge, caseId);
      const caseRecord = service.findCase(caseId);
      const body: Uint8Array = Buffer.isBuffer(req.body) ? req.body : new Uint8Array(0);
      const request = { caseId, challenge, method: req.method, path: req.originalUrl, body };
      const verified = await verifyCaseRequest(caseRecord?.authPublicKey ?? (await decoyKey), request, signature).then(
        () => true,
        () => false,
      );
      if (!fresh || !verified || caseRecord === undefined) throw refusal();
      (res.locals as ReporterLocals).caseRecord = caseRecord;
      res.setHeader(NEXT_CHALLENGE_HEADER, challenges.issue(caseId));
      next();
    } catch (error) {
      next(error);
    }
  };
}
