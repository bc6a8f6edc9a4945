/** What the Firefox suite's page offers the benchmark, which calls it through page.evaluate. */
import type { RemovedItem } from '../../../client/intake/metadata/index';

/** The page sets this global once its module has loaded. */
export const FIREFOX_PAGE_API_GLOBAL = 'candorFirefoxBench';
/** Where the page server serves OpenPGP.js's own browser build, as the library ships it. */
export const OPENPGP_LIBRARY_PATH = '/openpgp.min.mjs';

/** Everything crosses into the page as JSON: the investigator's key armored. */
export interface UploadRequest {
  readonly bodyId: string;
  readonly armoredPublicKey: string;
  readonly plaintextBytes: number;
}

export interface UploadMeasurement {
  readonly plaintextBytes: number;
  /** What the intake acknowledged storing. */
  readonly storedBytes: number;
  readonly elapsedMs: number;
}

/** The id of the page's file input, which the benchmark gives a file on disk as a reporter picks one. */
export const FILE_INPUT_ID = 'file';

/** A picked file sent as the intake's page sends it: its block digest read first, then encrypted and uploaded. */
export interface FileUploadMeasurement extends UploadMeasurement {
  /** The pass over the file for its plaintext block SHA-256 (client/intake/file-digest.ts), included in elapsedMs. */
  readonly digestMs: number;
}

export interface DirectMeasurement {
  readonly plaintextBytes: number;
  readonly ciphertextBytes: number;
  readonly elapsedMs: number;
}

export interface WorkMeasurement {
  readonly difficultyBits: number;
  readonly elapsedMs: number;
}

/** Milliseconds per MiB of each step of the upload path, each timed alone over the same data. */
export interface StageProfile {
  readonly generation: number;
  readonly encryptAttachment: number;
  /** A plain SHA-256 of the whole file in JavaScript, as the completion named before issue 16: for comparison. */
  readonly wholeFileSha256: number;
  /** The block SHA-256 the completion names now (WebCrypto), fed as the upload feeds it. */
  readonly blockSha256: number;
  readonly pieceSha256WebCrypto: number;
  readonly requestSignature: number;
}

/** A PDF of `pages` pages of text built in the page, cleaned both ways by the intake's own code. */
export interface PdfCleaningMeasurement {
  readonly pages: number;
  readonly inputBytes: number;
  /** "Remove hidden information": pdf-lib parses and rewrites the file. */
  readonly hiddenInformationMs: number;
  /** "Keep only what the pages show": pdf.js draws every page, pdf-lib makes a PDF of the pictures. */
  readonly pagesOnlyMs: number;
  readonly pagesOnlyBytes: number;
}

/** A phone video built in the page (phone-video.ts), cleaned as the intake cleans a picked file (cleanFile). */
export interface VideoCleaningMeasurement {
  readonly inputBytes: number;
  /** The cleaned file's size: the cleaner moves no byte, so the same as the input's. */
  readonly outputBytes: number;
  readonly elapsedMs: number;
  /** What the intake's report says it removed: the page refuses to measure a video it found nothing in. */
  readonly removed: readonly RemovedItem[];
}

export interface FirefoxPageApi {
  /** A case created through the intake (proof of work included, untimed), then one file uploaded into it, timed. */
  measureIntakeUpload(request: UploadRequest): Promise<UploadMeasurement>;
  /**
   * The file picked in the page's file input, in a case created through the intake (untimed), as
   * the intake's page sends a file (client/intake/submit.ts): its block digest, then the upload.
   */
  measurePickedFileUpload(request: Omit<UploadRequest, 'plaintextBytes'>): Promise<FileUploadMeasurement>;
  /** The same upload code with fetch answered in the page (no network, no intake): the browser's share alone. */
  measureSinkUpload(request: UploadRequest): Promise<UploadMeasurement>;
  /** The same generated data encrypted by OpenPGP.js itself, one `openpgp.encrypt` per MiB, nothing else. */
  measureDirectOpenpgp(request: UploadRequest): Promise<DirectMeasurement>;
  /** A challenge from the intake at its current price, solved as the intake's page solves it. */
  measureProofOfWork(): Promise<WorkMeasurement>;
  profileStages(request: UploadRequest): Promise<StageProfile>;
  measurePdfCleaning(pages: number): Promise<PdfCleaningMeasurement>;
  measureVideoCleaning(mediaBytes: number): Promise<VideoCleaningMeasurement>;
}
