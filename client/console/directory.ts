/**
 * A body's recipient directory as the console uses it: verified against the keys pinned in this build
 * before anything is encrypted to it, and compared with the investigators' current keys.
 */
import { CryptoError, verifyDirectory, type VerifiedDirectory } from '../../crypto/index';
import type { BodyDirectoryAnswer, DirectoryInvestigator } from '../../protocol/console-api/index';

/** Verifies the signed directory of `bodyId`; throws a CryptoError if it is not signed by a pinned key or is another body's. */
export async function verifyBodyDirectory(bodyId: string, directory: Pick<BodyDirectoryAnswer, 'signedDirectory'>, pinnedKeys: readonly string[], now?: Date): Promise<VerifiedDirectory> {
  const verified = await verifyDirectory(directory.signedDirectory, { pinnedKeys, ...(now === undefined ? {} : { now }) });
  if (verified.document.body.id !== bodyId) throw new CryptoError('directory-invalid', `The directory served for ${bodyId} is that of ${verified.document.body.id}.`);
  return verified;
}

export interface SignedRecipient {
  readonly label: string;
  readonly fingerprint: string;
  /** The investigator whose current key this is, if any. */
  readonly username: string | null;
}

export interface DirectoryComparison {
  readonly signed: readonly SignedRecipient[];
  /** Investigators whose current key the signed directory lacks: reports are not encrypted to them. */
  readonly unsigned: readonly DirectoryInvestigator[];
}

/** What the signed directory holds beside what the body's investigators' keys are now. */
export function compareDirectory(verified: Pick<VerifiedDirectory, 'document'>, investigators: readonly DirectoryInvestigator[]): DirectoryComparison {
  const byFingerprint = new Map(investigators.map((investigator) => [investigator.fingerprint.toLowerCase(), investigator]));
  const signedFingerprints = new Set(verified.document.recipients.map((recipient) => recipient.fingerprint.toLowerCase()));
  return {
    signed: verified.document.recipients.map((recipient) => ({
      label: recipient.label,
      fingerprint: recipient.fingerprint,
      username: byFingerprint.get(recipient.fingerprint.toLowerCase())?.username ?? null,
    })),
    unsigned: investigators.filter((investigator) => !signedFingerprints.has(investigator.fingerprint.toLowerCase())),
  };
}
