/**
 * Sending a report: every step that touches plaintext happens here, in the browser, and fails closed.
 * Nothing leaves the browser before the directory is verified and the report is encrypted.
 */
import { deriveCaseKeys, encryptReport, generateCaseToken, newAttachmentId, sealReply, solveProofOfWork, toBase64Url, type AttachmentId, type CaseToken } from '../../crypto/index';
import type { CreateCaseRequest } from '../../protocol/intake-api';
import type { ReportDocumentV2 } from '../../protocol/report-document';
import { writeReportMessage } from '../../protocol/reporter-messages';
import { ApiError, CaseSession, createCase, fetchProofOfWork, uploadAttachment, type UploadProgress } from './api';
import { blockSha256OfFile } from './file-digest';
import { fileCleaning } from './file-cleaning';
import type { CleanedFile } from './metadata/index';
import { reverifyChosenBody, type ChosenBody } from './verified-body';

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
 * Encrypts and sends a report to the body the reporter chose, under its directory as verified for
 * that id. Files come as `cleanFile` left them: what is digested, encrypted and uploaded, and the
 * size the report document gives, is the cleaned copy; only the name and type are the original's, and
 * what cleaning did (`cleaning`) travels with each, for the investigators.
 * The report is signed with the case key and the same signed bytes are sealed as the reporter's copy
 * (docs/protocol.md §7.2), so that the reporter can later tell their own messages from others.
 */
export async function sendReport(body: ChosenBody, answers: Readonly<Record<string, string>>, files: readonly CleanedFile[], callbacks: SendCallbacks): Promise<SendResult> {
  callbacks.onStage('checking');
  assertClientCryptoSupport();
  const directory = await reverifyChosenBody(body, __CANDOR_DIRECTORY_PINS__);
  const { recipients } = directory;
  const token = generateCaseToken();
  const keys = await deriveCaseKeys(token);
  const attachments: ReportDocumentV2['attachments'] = [];
  for (const { original, file, report } of files) {
    attachments.push({ id: newAttachmentId(), name: original.name, type: original.type, size: file.size, blockSha256: await blockSha256OfFile(file), cleaning: fileCleaning(report) });
  }
  const document: ReportDocumentV2 = {
    format: 'candor-report',
    version: 2,
    bodyId: body.id,
    directorySerial: directory.serial,
    caseKeys: { auth: toBase64Url(keys.authPublicKey), reply: toBase64Url(keys.replyPublicKey) },
    answers,
    attachments,
  };
  const message = await writeReportMessage(keys, document);
  const report = await encryptReport(message, recipients, { caseId: keys.caseId });
  const reporterCopy = sealReply(keys.replyPublicKey, message, 'reporter-copy');

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
