/**
 * The proof of work in front of case creation (docs/api.md §POST /api/v1/proof-of-work): challenges
 * are signed, not stored, and priced by ProofOfWorkDifficulty; only a case created with checked work
 * spends its challenge and counts towards the price.
 */
import { checkProofOfWork } from '../../crypto/index';
import type { Clock } from '../clock';
import type { ProofOfWorkDifficulty } from './proof-of-work-difficulty';
import { SpentChallenges, type ChallengeSigner, type CheckedChallenge } from './signed-challenges';

/** Time enough to solve one at the highest difficulty in Tor Browser's "Safer" mode. */
export const PROOF_OF_WORK_TTL_MS = 10 * 60_000;
const PROOF_OF_WORK_SCOPE = 'proof-of-work';
/** A last bound on memory: that many cases created with work within ten minutes is far past any flood the price allows. */
const SPENT_CAPACITY = 200_000;
/** Retries of one creation that a spent challenge still admits: enough for dropped connections, too few to be a way of making the server read bodies for free. */
const MAX_REPEATS = 3;

export interface ProofOfWorkChallenge {
  readonly challenge: string;
  readonly difficultyBits: number;
  /** True while the price is above the quiet one, so the page can say that this may take a while. */
  readonly busy: boolean;
}

export class ProofOfWorkGate {
  private readonly spent: SpentChallenges;

  constructor(
    private readonly signer: ChallengeSigner,
    private readonly difficulty: ProofOfWorkDifficulty,
    clock: Clock,
  ) {
    this.spent = new SpentChallenges(clock, SPENT_CAPACITY);
  }

  issue(): ProofOfWorkChallenge {
    const difficultyBits = this.difficulty.currentBits();
    return { challenge: this.signer.issue(PROOF_OF_WORK_SCOPE, PROOF_OF_WORK_TTL_MS, difficultyBits), difficultyBits, busy: difficultyBits > this.difficulty.baseBits };
  }

  /**
   * The challenge's terms when it is ours, live, still priced high enough, and `nonce` solves it.
   * Costs one HMAC and one SHA-256; whether it was spent already is asked separately.
   */
  check(challenge: string, nonce: string): CheckedChallenge | undefined {
    const terms = this.signer.check(challenge, PROOF_OF_WORK_SCOPE);
    if (terms === undefined || !this.difficulty.accepts(terms.difficultyBits)) return undefined;
    return checkProofOfWork(challenge, nonce, terms.difficultyBits) ? terms : undefined;
  }

  /**
   * Decided from the request's headers, before its body is read: whether this work may pay for
   * creating `caseId`. Work not spent yet may; spent work only for the case it bought, a few times
   * (a retry of that creation after a dropped connection, which then answers as the first did).
   */
  admit(challenge: string, nonce: string, caseId: string): CheckedChallenge | undefined {
    const terms = this.check(challenge, nonce);
    if (terms === undefined) return undefined;
    const spent = this.spent.find(challenge);
    if (spent === undefined) return terms;
    if (spent.owner !== caseId || spent.repeats >= MAX_REPEATS) return undefined;
    spent.repeats += 1;
    return terms;
  }

  isSpent(challenge: string): boolean {
    return this.spent.isSpent(challenge);
  }

  /** No room to remember one more spent challenge: reached only by creating cases with work at a rate far past any the price allows. */
  isFull(): boolean {
    return this.spent.isFull();
  }

  /** Called once the case the work paid for is stored, synchronously after the checks above: nothing runs between. */
  spend(challenge: string, terms: CheckedChallenge, caseId: string): void {
    this.spent.spend(challenge, terms.expiresAtMs, caseId);
    this.difficulty.recordCreation();
  }

  /** Spends work that bought no case (it named a case that exists): each such answer costs a proof of work. */
  burn(challenge: string, terms: CheckedChallenge): void {
    this.spent.spend(challenge, terms.expiresAtMs);
  }
}
