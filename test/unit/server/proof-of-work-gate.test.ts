import { describe, expect, it } from 'vitest';
import { solveProofOfWork } from '../../../crypto/index';
import { ProofOfWorkDifficulty } from '../../../server/intake/proof-of-work-difficulty';
import { ProofOfWorkGate, type Admission, type AdmittedWork } from '../../../server/intake/proof-of-work-gate';
import { ChallengeSigner } from '../../../server/intake/signed-challenges';
import { TestClock } from '../../helpers/console';

const CASE_A = 'a'.repeat(64);
const CASE_B = 'b'.repeat(64);

function gate() {
  const clock = new TestClock(Date.parse('2026-12-01T10:00:00Z'));
  const difficulty = new ProofOfWorkDifficulty({ baseBits: 2, maxBits: 6, quietCreationsPerHour: 40 }, clock);
  return { gate: new ProofOfWorkGate(new ChallengeSigner(clock), difficulty, clock), difficulty, clock };
}

async function solved(g: ProofOfWorkGate): Promise<{ challenge: string; nonce: string }> {
  const { challenge, difficultyBits } = g.issue();
  return { challenge, nonce: await solveProofOfWork(challenge, difficultyBits) };
}

function admitted(admission: Admission): AdmittedWork {
  if (!('admitted' in admission)) throw new Error(`refused: ${admission.refused}`);
  return admission.admitted;
}

describe('the proof-of-work gate', () => {
  it('when work is first presented, then it is bound to the case id it names and admits no other', async () => {
    const { gate: g } = gate();
    const { challenge, nonce } = await solved(g);
    admitted(g.admit(challenge, nonce, CASE_A)).release();
    expect(g.admit(challenge, nonce, CASE_B)).toEqual({ refused: 'invalid' });
    expect('admitted' in g.admit(challenge, nonce, CASE_A)).toBe(true);
  });

  it('when work is presented while its earlier request is still under way, then it is refused until that one ends', async () => {
    const { gate: g } = gate();
    const { challenge, nonce } = await solved(g);
    const first = admitted(g.admit(challenge, nonce, CASE_A));
    expect(g.admit(challenge, nonce, CASE_A)).toEqual({ refused: 'invalid' });
    first.release();
    admitted(g.admit(challenge, nonce, CASE_A)).release();
  });

  it('when work is presented again and again, then it admits three more requests and no more', async () => {
    const { gate: g } = gate();
    const { challenge, nonce } = await solved(g);
    for (let presentation = 0; presentation < 4; presentation++) admitted(g.admit(challenge, nonce, CASE_A)).release();
    expect(g.admit(challenge, nonce, CASE_A)).toEqual({ refused: 'invalid' });
  });

  it('when a case was bought with the work, then a retry says so', async () => {
    const { gate: g } = gate();
    const { challenge, nonce } = await solved(g);
    const first = admitted(g.admit(challenge, nonce, CASE_A));
    expect(first.bought).toBe(false);
    first.markBought();
    first.release();
    expect(admitted(g.admit(challenge, nonce, CASE_A)).bought).toBe(true);
  });

  it('when work is presented, then it counts towards the price once, whatever becomes of it; wrong work counts nothing', async () => {
    const { gate: g, difficulty } = gate();
    // Quiet is 40 an hour, 10 in the 15-minute window.
    for (let i = 0; i < 10; i++) {
      const { challenge, nonce } = await solved(g);
      admitted(g.admit(challenge, nonce, CASE_A)).release();
      admitted(g.admit(challenge, nonce, CASE_A)).release();
    }
    expect(difficulty.currentBits()).toBe(3);
    const { challenge } = g.issue();
    const wrong = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'].filter((nonce) => !('admitted' in g.admit(challenge, nonce, CASE_B)));
    expect(wrong.length).toBeGreaterThan(0);
    expect(difficulty.currentBits()).toBe(3);
  });
});
