/**
 * The proof of work in front of case creation (docs/api.md §POST /api/v1/proof-of-work): challenges
 * are signed, not stored, and priced by ProofOfWorkDifficulty. Work is checked from the request's
 * headers; the first time valid work is presented it is bound to the case id it names and counts
 * towards the price. From then on it admits only that case's creation, one body at a time and a few
 * times at most (retries after a dropped connection): so each probe of a case id, and each body the
 * server reads, costs a proof of work (issue 13).
 */
import { checkProofOfWork } from '../../crypto/index';
import type { ProofOfWorkAnswer } from '../../protocol/intake-api';
import type { Clock } from '../clock';
import type { ProofOfWorkDifficulty } from './proof-of-work-difficulty';
import { SpentChallenges, type ChallengeSigner, type CheckedChallenge } from './signed-challenges';

/** Time enough to solve one at the highest difficulty in Tor Browser's "Safer" mode. */
export const PROOF_OF_WORK_TTL_MS = 10 * 60_000;
const PROOF_OF_WORK_SCOPE = 'proof-of-work';
/** A last bound on memory: that much work presented within ten minutes is far past any flood the price allows. */
const PRESENTED_CAPACITY = 200_000;
/** Presentations of one work after its first: enough for retries after dropped connections, too few to make the server read bodies for free. */
const MAX_REPEATS = 3;

/** Work admitted for one request: its record, held until the request ends. */
export interface AdmittedWork {
  readonly challenge: string;
  /** Whether this work already bought its case (the request is then a retry of that creation). */
  readonly bought: boolean;
  /** Marks the case as bought with this work. */
  markBought(): void;
  /** Lets the work be presented again (its request ended). */
  release(): void;
}

export type Admission = { readonly admitted: AdmittedWork } | { readonly refused: 'invalid' | 'busy' };

/** What is remembered of work once presented. */
interface PresentedWork {
  /** The case id it was first presented for: the only one it admits. */
  readonly caseId: string;
  /** Presentations after the first. */
  repeats: number;
  bought: boolean;
  inFlight: boolean;
}

export class ProofOfWorkGate {
  private readonly presented: SpentChallenges<PresentedWork>;

  constructor(
    private readonly signer: ChallengeSigner,
    private readonly difficulty: ProofOfWorkDifficulty,
    clock: Clock,
  ) {
    this.presented = new SpentChallenges(clock, PRESENTED_CAPACITY);
  }

  /** `busy` while the price is above the quiet one, so the page can say that this may take a while. */
  issue(): ProofOfWorkAnswer {
    const difficultyBits = this.difficulty.currentBits();
    return { challenge: this.signer.issue(PROOF_OF_WORK_SCOPE, PROOF_OF_WORK_TTL_MS, difficultyBits), difficultyBits, busy: difficultyBits > this.difficulty.baseBits };
  }

  /**
   * The challenge's terms when it is ours, live, still priced high enough, and `nonce` solves it.
   * Costs one HMAC and one SHA-256.
   */
  check(challenge: string, nonce: string): CheckedChallenge | undefined {
    const terms = this.signer.check(challenge, PROOF_OF_WORK_SCOPE);
    if (terms === undefined || !this.difficulty.accepts(terms.difficultyBits)) return undefined;
    return checkProofOfWork(challenge, nonce, terms.difficultyBits) ? terms : undefined;
  }

  /** Decided from the request's headers, before its body is read: whether this work may pay for creating `caseId` now. */
  admit(challenge: string, nonce: string, caseId: string): Admission {
    const terms = this.check(challenge, nonce);
    if (terms === undefined) return { refused: 'invalid' };
    let held = this.presented.find(challenge);
    if (held === undefined) {
      held = { caseId, repeats: 0, bought: false, inFlight: false };
      if (!this.presented.spend(challenge, terms.expiresAtMs, held)) return { refused: 'busy' };
      // Demand is work presented, whatever becomes of it: holding bodies open raises the price too.
      this.difficulty.recordDemand();
    } else {
      if (held.caseId !== caseId || held.inFlight || held.repeats >= MAX_REPEATS) return { refused: 'invalid' };
      held.repeats += 1;
    }
    held.inFlight = true;
    const record = held;
    return {
      admitted: {
        challenge,
        bought: held.bought,
        markBought: () => {
          record.bought = true;
        },
        release: () => {
          record.inFlight = false;
        },
      },
    };
  }
}
