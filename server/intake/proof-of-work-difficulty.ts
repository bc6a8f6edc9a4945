/**
 * How much work creating a case costs right now. Like Tor's onion-service defence, the price rises
 * with demand: while fewer cases are created than the quiet rate, the work stays at the base
 * difficulty; every doubling of the rate above it adds one bit (doubles the work), up to a maximum.
 * So flooding the intake with cases costs work that grows with the square of the flood, a genuine
 * reporter is never turned away (they work longer, never wait an hour), and when the flood stops
 * the price falls back within the window.
 *
 * Demand is verified work presented for a case, whether or not the case is then created: holding
 * requests open with work raises the price as creating cases does. Only counts per minute are kept,
 * in memory, for the window: no time of any single case.
 */
import type { Clock } from '../clock';

/** Short enough to fall back soon after a flood, long enough that a burst of genuine reports hardly moves it. */
const WINDOW_MINUTES = 15;

export interface DifficultySettings {
  readonly baseBits: number;
  readonly maxBits: number;
  readonly quietCreationsPerHour: number;
}

export class ProofOfWorkDifficulty {
  /** Work presented per minute, by minute number since the epoch, for the last WINDOW_MINUTES minutes. */
  private readonly perMinute = new Map<number, number>();

  constructor(
    private readonly settings: DifficultySettings,
    private readonly clock: Clock,
  ) {}

  private minuteNow(): number {
    return Math.floor(this.clock.now().getTime() / 60_000);
  }

  private demandInWindow(): number {
    const oldest = this.minuteNow() - WINDOW_MINUTES + 1;
    let total = 0;
    for (const [minute, count] of this.perMinute) {
      if (minute < oldest) this.perMinute.delete(minute);
      else total += count;
    }
    return total;
  }

  /** The difficulty a challenge issued now asks for. */
  currentBits(): number {
    const { baseBits, maxBits, quietCreationsPerHour } = this.settings;
    const quietInWindow = (quietCreationsPerHour * WINDOW_MINUTES) / 60;
    const rate = this.demandInWindow();
    if (rate < quietInWindow) return baseBits;
    return Math.min(maxBits, baseBits + Math.floor(Math.log2(rate / quietInWindow)) + 1);
  }

  /**
   * Whether work done at `bits` still buys a case now. One step of slack, so that a reporter who
   * fetched a challenge just before the price rose is not sent back; more would let challenges
   * hoarded while the intake was quiet be spent cheaply in a flood.
   */
  accepts(bits: number): boolean {
    return bits >= this.currentBits() - 1;
  }

  /** Counts verified work presented for a case (ProofOfWorkGate.admit). */
  recordDemand(): void {
    const minute = this.minuteNow();
    this.perMinute.set(minute, (this.perMinute.get(minute) ?? 0) + 1);
  }

  get baseBits(): number {
    return this.settings.baseBits;
  }
}
