/**
 * The console suite's measurement: reports decrypted, parsed and indexed for search one after the
 * other by the console's own code, as when an investigator decrypts the listed cases; then one
 * search over them all. It imports nothing from Node, so that the page runs this very code.
 */
import { fromBase64Url, unlockPrivateKey } from '../../crypto/index';
import { reportOf } from '../../client/console/case-reading';
import { DecryptedCases } from '../../client/console/decrypted-cases';

/** The page sets this global once its module has loaded. */
export const CONSOLE_PAGE_GLOBAL = 'candorConsoleBench';

export interface ConsolePageApi {
  measureReportDecryption(workload: DecryptionWorkload): Promise<DecryptionMeasurement>;
}

/** Everything crosses into the page as JSON: the locked key armored, each report as base64url. */
export interface DecryptionWorkload {
  readonly lockedPrivateKey: string;
  readonly passphrase: string;
  readonly reports: readonly { readonly caseId: string; readonly ciphertext: string }[];
  readonly query: string;
}

export interface DecryptionMeasurement {
  readonly unlockMs: number;
  /** One duration per report: decrypt, check the document, index its text. */
  readonly reportMs: readonly number[];
  readonly readable: number;
  readonly searchMs: number;
  readonly hits: number;
}

export async function measureReportDecryption(workload: DecryptionWorkload): Promise<DecryptionMeasurement> {
  const unlockStart = performance.now();
  const key = await unlockPrivateKey(workload.lockedPrivateKey, workload.passphrase);
  const unlockMs = performance.now() - unlockStart;
  const decrypted = new DecryptedCases();
  const reportMs: number[] = [];
  let readable = 0;
  for (const { caseId, ciphertext } of workload.reports) {
    const start = performance.now();
    // Each report is served as the object route would: its bytes, fetched by number.
    const bytes = fromBase64Url(ciphertext);
    const { entries } = await decrypted.read({ id: caseId, objects: [{ seq: 1, kind: 'report', createdOn: '2026-01-01', size: bytes.length }] }, [key], async () => bytes, null);
    reportMs.push(performance.now() - start);
    if (reportOf(entries) !== null) readable++;
  }
  const searchStart = performance.now();
  const hits = decrypted.index.search(workload.query).length;
  return { unlockMs, reportMs, readable, searchMs: performance.now() - searchStart, hits };
}
