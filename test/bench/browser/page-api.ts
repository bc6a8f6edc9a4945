/** What the browser suite's page offers the benchmark, which calls it through page.evaluate. */
import type { EncryptionMeasurement, GenerationMeasurement } from '../attachment-encryption';

/** The page sets this global once its module has loaded. */
export const PAGE_API_GLOBAL = 'candorBrowserBench';

/** Everything crosses into the page as JSON: the key armored, the binding as its two strings. */
export interface EncryptionRequest {
  readonly armoredPublicKey: string;
  readonly plaintextBytes: number;
  readonly caseId: string;
  readonly attachmentId: string;
}

export interface PageApi {
  measureEncryption(request: EncryptionRequest): Promise<EncryptionMeasurement>;
  measureGeneration(plaintextBytes: number): Promise<GenerationMeasurement>;
}
