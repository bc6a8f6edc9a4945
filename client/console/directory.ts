/**
 * A body's recipient directory as the console uses it: verified against the keys pinned in this build
 * for that body, no older than the newest this browser verified, before anything is encrypted to it or
 * any signature checked against it; and compared with the investigators' current keys.
 */
import { signedDirectorySchema } from '../../crypto/index';
import { verifyBodyDirectory, type BodyDirectory } from '../../protocol/body-directory';
import type { DirectoryPins } from '../../protocol/directory-pins';
import type { BodyDirectoryAnswer, DirectoryInvestigator } from '../../protocol/console-api/index';
import type { DirectorySerials } from './directory-serials';

export interface DirectoryTrust {
  /** The pins compiled into this build (`__CANDOR_DIRECTORY_PINS__`). */
  readonly pins: DirectoryPins;
  /** The highest serial verified in this browser, per body. */
  readonly serials: DirectorySerials;
}

export interface VerifiedBodyDirectory extends BodyDirectory {
  /** The pinned directory key that signed it. */
  readonly signerKey: string;
}

/**
 * Verifies the directory served for `bodyId` as that body's, signed by a key pinned for it and no
 * older than the newest verified here before (else `directory-outdated`), then remembers its serial.
 * Throws a CryptoError naming the first problem.
 */
export async function verifyServedDirectory(bodyId: string, served: Pick<BodyDirectoryAnswer, 'signedDirectory'>, trust: DirectoryTrust, now?: Date): Promise<VerifiedBodyDirectory> {
  const directory = await verifyBodyDirectory(served.signedDirectory, {
    pins: trust.pins,
    bodyId,
    minimumSerial: trust.serials.highest(bodyId),
    ...(now === undefined ? {} : { now }),
  });
  trust.serials.remember(bodyId, directory.serial);
  // Verified above: the envelope parses and its signer key is one pinned for this body.
  return { ...directory, signerKey: signedDirectorySchema.parse(served.signedDirectory).signerKey };
}

export interface SignedRecipient {
  readonly label: string;
  /** What reporters see as the author of this investigator's replies; null in a version 1 directory. */
  readonly role: string | null;
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
export function compareDirectory(verified: Pick<BodyDirectory, 'document' | 'roles'>, investigators: readonly DirectoryInvestigator[]): DirectoryComparison {
  const byFingerprint = new Map(investigators.map((investigator) => [investigator.fingerprint.toLowerCase(), investigator]));
  const signedFingerprints = new Set(verified.document.recipients.map((recipient) => recipient.fingerprint.toLowerCase()));
  return {
    signed: verified.document.recipients.map((recipient) => ({
      label: recipient.label,
      role: verified.roles.get(recipient.fingerprint) ?? null,
      fingerprint: recipient.fingerprint,
      username: byFingerprint.get(recipient.fingerprint.toLowerCase())?.username ?? null,
    })),
    unsigned: investigators.filter((investigator) => !signedFingerprints.has(investigator.fingerprint.toLowerCase())),
  };
}

/** Each listed key's label, by fingerprint: the name the console shows for an investigator's signed message. */
export function recipientLabels(directory: Pick<BodyDirectory, 'document'>): ReadonlyMap<string, string> {
  return new Map(directory.document.recipients.map((recipient) => [recipient.fingerprint, recipient.label]));
}
