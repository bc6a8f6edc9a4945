/**
 * The crypto suite: reports for investigators, case tokens and their keys, and a large attachment
 * streamed through encryption and decryption with its memory watched.
 */
import {
  checkRecipientKey,
  decryptReport,
  deriveCaseKeys,
  encryptReport,
  generateCaseToken,
  generateInvestigatorKey,
  newAttachmentId,
  randomBytes,
  unlockPrivateKey,
  type CaseId,
  type DecryptionKey,
  type RecipientKey,
} from '../../crypto/index';
import { runAttachmentRoundTrip, type RoundTripResult } from './attachment-round-trip';
import { measure, MIB, timedRow, type BenchCheck, type BenchRow, type BenchSuite } from './suite';

const KIB = 1024;
const REPORT_CASES = [
  // Below the padding floor the fixed cost dominates, so small reports are counted per operation.
  { sizeBytes: KIB, iterations: 500, rateUnit: 'ops/s' },
  { sizeBytes: MIB, iterations: 50, rateUnit: 'MiB/s' },
] as const;
const CASE_KEY_ITERATIONS = 2000;
const DEFAULT_ATTACHMENT_MIB = 256;
const ATTACHMENT_MIB_VARIABLE = 'CANDOR_BENCH_ATTACHMENT_MIB';
/** A streamed attachment must not need more memory than this, whatever its size. */
const RSS_BOUND_BYTES = 200 * MIB;

function attachmentBytes(): number {
  const raw = process.env[ATTACHMENT_MIB_VARIABLE];
  if (raw === undefined || raw === '') return DEFAULT_ATTACHMENT_MIB * MIB;
  const mib = Number(raw);
  if (!Number.isSafeInteger(mib) || mib < 1) {
    throw new RangeError(`${ATTACHMENT_MIB_VARIABLE} must be a whole number of MiB, at least 1; it is "${raw}".`);
  }
  return mib * MIB;
}

interface Investigator {
  readonly recipient: RecipientKey;
  readonly key: DecryptionKey;
}

async function makeInvestigator(): Promise<Investigator> {
  const passphrase = 'benchmark passphrase';
  const generated = await generateInvestigatorKey({ name: 'Benchmark Investigator', passphrase });
  return {
    recipient: await checkRecipientKey(generated.armoredPublicKey),
    key: await unlockPrivateKey(generated.armoredPrivateKey, passphrase),
  };
}

async function measureReports(investigator: Investigator, caseId: CaseId): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  for (const reportCase of REPORT_CASES) {
    const plaintext = randomBytes(reportCase.sizeBytes);
    const recipients = [investigator.recipient];
    rows.push(
      await measure({ operation: 'encryptReport', ...reportCase }, () => encryptReport(plaintext, recipients, { caseId })),
    );
    const envelope = await encryptReport(plaintext, recipients, { caseId });
    rows.push(
      await measure({ operation: 'decryptReport', ...reportCase }, () => decryptReport(envelope, investigator.key, { caseId })),
    );
  }
  return rows;
}

function roundTripChecks(result: RoundTripResult): BenchCheck[] {
  const mib = (bytes: number) => `${(bytes / MIB).toFixed(1)} MiB`;
  const { rss } = result;
  const underBound = rss.peakBytes < RSS_BOUND_BYTES;
  return [
    {
      name: 'attachment round trip',
      outcome: result.hashesMatch ? 'pass' : 'fail',
      detail: result.hashesMatch
        ? `the SHA-256 of the decrypted ${mib(result.plaintextBytes)} equals that of the generated input`
        : `the decrypted output differs from the generated input of ${mib(result.plaintextBytes)}`,
    },
    {
      name: 'attachment peak RSS',
      outcome: underBound ? 'pass' : 'warn',
      detail: [
        `peak ${mib(rss.peakBytes)} ${underBound ? 'stayed under' : 'EXCEEDED'} the ${mib(RSS_BOUND_BYTES)} bound`,
        `(${mib(rss.peakBytes - rss.baselineBytes)} above the baseline of ${mib(rss.baselineBytes)};`,
        `highest of ${rss.samples} samples ${mib(rss.sampledPeakBytes)};`,
        `maxRSS ${mib(rss.maxRssBytes)} ${rss.maxRssScope === 'run' ? 'during the run)' : 'over the whole process, not counted)'}`,
      ].join(' '),
    },
  ];
}

export const cryptoSuite: BenchSuite = {
  name: 'crypto',
  async run(progress) {
    // Read first, so that a mistyped size fails at once rather than after the other benchmarks.
    const plaintextBytes = attachmentBytes();
    progress('generating and unlocking an investigator key');
    const investigator = await makeInvestigator();
    const { caseId } = await deriveCaseKeys(generateCaseToken());

    // Before the other benchmarks: measured, they leave the resident baseline some 40 MiB higher
    // even after a full collection, and the attachment's memory is judged against that baseline.
    progress(`streaming a ${plaintextBytes / MIB} MiB attachment through encryption and decryption`);
    const roundTrip = await runAttachmentRoundTrip(plaintextBytes, investigator.recipient, investigator.key, {
      caseId,
      attachmentId: newAttachmentId(),
    });

    progress('encrypting and decrypting reports');
    const reportRows = await measureReports(investigator, caseId);

    progress('generating case tokens and deriving their keys');
    const caseKeyRow = await measure(
      { operation: 'generateCaseToken + deriveCaseKeys', sizeBytes: null, iterations: CASE_KEY_ITERATIONS, rateUnit: 'ops/s' },
      () => deriveCaseKeys(generateCaseToken()),
    );

    const roundTripRow = timedRow(
      { operation: 'encryptAttachment | decryptAttachment', sizeBytes: plaintextBytes, iterations: 1, rateUnit: 'MiB/s' },
      [roundTrip.elapsedMs],
    );
    return {
      rows: [...reportRows, caseKeyRow, roundTripRow],
      checks: roundTripChecks(roundTrip),
      metrics: {
        attachmentPlaintextBytes: roundTrip.plaintextBytes,
        attachmentCiphertextBytes: roundTrip.ciphertextBytes,
        attachmentRssBaselineBytes: roundTrip.rss.baselineBytes,
        attachmentRssSampledPeakBytes: roundTrip.rss.sampledPeakBytes,
        attachmentRssSamples: roundTrip.rss.samples,
        attachmentMaxRssBytes: roundTrip.rss.maxRssBytes,
        attachmentMaxRssScope: roundTrip.rss.maxRssScope,
        attachmentPeakRssBytes: roundTrip.rss.peakBytes,
        attachmentRssBoundBytes: RSS_BOUND_BYTES,
      },
    };
  },
};
