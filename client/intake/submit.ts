/**
 * Sending a report: every step that touches plaintext happens here, in the browser, and fails closed.
 * Nothing leaves the browser before the directory is verified and the report is encrypted.
 */
import {
  deriveCaseKeys,
  encryptReport,
  generateCaseToken,
  newAttachmentId,
  sealReply,
  solveProofOfWork,
  toBase64Url,
  utf8Encode,
  verifyDirectory,
  type AttachmentId,
  type CaseToken,
  type RecipientKey,
} from '../../crypto/index';
import type { BodyAnswer, CreateCaseRequest } from '../../protocol/intake-api';
import { ApiError, CaseSession, createCase, fetchProofOfWork, uploadAttachment, type UploadProgress } from './api';
import type { ReportDocument } from '../../protocol/report-document';
import type { CleanedFile } from './metadata/index';

export class UnsupportedBrowserError extends Error {
  override readonly name = 'UnsupportedBrowserError';
}

/** Refuses to go on unless everything encryption needs is present (Hush Line's rule: fail closed). */
export function assertClientCryptoSupport(): void {
  const webCrypto = globalThis.crypto;
  const ok =
    typeof webCrypto?.getRandomValues === 'function' &&
    typeof webCrypto.subtle?.deriveBits === 'function' &&
    typeof ReadableStream === 'function' &&
    typeof TextEncoder === 'function' &&
    typeof Blob.prototype.stream === 'function';
  if (!ok) throw new UnsupportedBrowserError('This browser lacks what encryption needs.');
}

/** Verifies the body's directory against the keys pinned in this build; throws a CryptoError otherwise. */
export async function recipientsFor(body: BodyAnswer): Promise<readonly RecipientKey[]> {
  const verified = await verifyDirectory(body.signedDirectory, { pinnedKeys: __CANDOR_PINNED_KEYS__ });
  if (verified.document.body.id !== body.id) throw new UnsupportedBrowserError('The directory belongs to another body.');
  return verified.recipients;
}

export type SendStage = 'checking' | 'work' | 'report' | 'files';

export interface SendCallbacks {
  onStage(stage: SendStage): void;
  onWorkProgress(fraction: number): void;
  /** The intake asks for more work than when it is quiet: the page says this may take a few minutes. */
  onWorkBusy(busy: boolean): void;
  onFileProgress(index: number, progress: UploadProgress): void;
}

export type FailedFilesReason = 'daily-budget' | 'storage-full' | 'network';

export interface SendResult {
  readonly token: CaseToken;
  /** Files that could not be sent; the reporter can add them later with the token. */
  readonly failedFiles: readonly string[];
  /**
   * Why files failed: `daily-budget` when the intake had taken in all it takes in a day (they can
   * follow tomorrow), `storage-full` when it can store nothing more, else `network`.
   */
  readonly failedFilesReason: FailedFilesReason;
}

/** How often new work is fetched when the price rose during the last; a flood that outpaces this is an error the page reports. */
const MAX_WORK_ATTEMPTS = 3;

async function doProofOfWork(callbacks: SendCallbacks): Promise<{ challenge: string; nonce: string }> {
  const { challenge, difficultyBits, busy } = await fetchProofOfWork();
  callbacks.onWorkBusy(busy);
  const expected = 2 ** difficultyBits;
  const nonce = await solveProofOfWork(challenge, difficultyBits, {
    onProgress: async (attempts) => {
      callbacks.onWorkProgress(Math.min(0.99, attempts / (2 * expected)));
      // Let the page repaint and stay responsive between batches.
      await new Promise((resolve) => setTimeout(resolve, 0));
    },
  });
  callbacks.onWorkProgress(1);
  return { challenge, nonce };
}

/**
 * Encrypts and sends a report. Files come as `cleanFile` left them: what is encrypted and uploaded,
 * and the size the report document gives, is the cleaned copy; only the name and type are the original's.
 */
export async function sendReport(body: BodyAnswer, answers: Readonly<Record<string, string>>, files: readonly CleanedFile[], callbacks: SendCallbacks): Promise<SendResult> {
  callbacks.onStage('checking');
  assertClientCryptoSupport();
  const recipients = await recipientsFor(body);
  const token = generateCaseToken();
  const keys = await deriveCaseKeys(token);
  const attachments = files.map(({ original, file }) => ({ id: newAttachmentId(), name: original.name, type: original.type, size: file.size }));
  const document: ReportDocument = { format: 'candor-report', version: 1, bodyId: body.id, answers, attachments };
  const json = JSON.stringify(document);
  const report = await encryptReport(json, recipients, { caseId: keys.caseId });
  const reporterCopy = sealReply(keys.replyPublicKey, utf8Encode(json), 'reporter-copy');

  const creation: CreateCaseRequest = {
    bodyId: body.id,
    caseId: keys.caseId,
    authPublicKey: toBase64Url(keys.authPublicKey),
    replyPublicKey: toBase64Url(keys.replyPublicKey),
    report: toBase64Url(report),
    reporterCopy: toBase64Url(reporterCopy),
  };
  // In a flood the price of a case can rise while the work is done; the server then asks for new work.
  for (let attempt = 1; ; attempt++) {
    callbacks.onStage('work');
    callbacks.onWorkProgress(0);
    const proofOfWork = await doProofOfWork(callbacks);
    callbacks.onStage('report');
    try {
      await createCase(creation, proofOfWork);
      break;
    } catch (error) {
      if (!(error instanceof ApiError && error.code === 'proof-of-work-required') || attempt >= MAX_WORK_ATTEMPTS) throw error;
    }
  }

  callbacks.onStage('files');
  const session = new CaseSession(keys);
  const failedFiles: string[] = [];
  let failedFilesReason: FailedFilesReason = 'network';
  for (const [index, attachment] of attachments.entries()) {
    const { original, file } = files[index] as CleanedFile;
    try {
      await uploadAttachment(session, attachment.id as AttachmentId, file.stream(), file.size, recipients, (progress) => callbacks.onFileProgress(index, progress));
    } catch (error) {
      failedFiles.push(original.name);
      if (error instanceof ApiError && error.code === 'storage-full') failedFilesReason = error.details.includes('daily-budget') ? 'daily-budget' : 'storage-full';
    }
  }
  return { token, failedFiles, failedFilesReason };
}
