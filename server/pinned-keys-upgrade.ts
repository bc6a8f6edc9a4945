/**
 * Upgrades a version 1 pinned-keys file (one list of keys trusted for every body) to version 2 (keys
 * per body, docs/protocol.md §11.4), as `npm start` prepares: each body is pinned to the key that
 * signed the directory it has now, if the old file trusted that key, and marked as having unsigned
 * cases (its cases so far were sent under version 1). A body whose directory no pinned key signed is
 * left out, and reporters cannot choose it until its key is pinned.
 */
import { resolve } from 'node:path';
import { signedDirectorySchema } from '../crypto/index';
import type { DirectoryPins } from '../protocol/directory-pins';
import { PinnedKeysVersion1Error, readDirectoryPins, writeDirectoryPins } from '../tools/client-build/pinned-keys';
import { acceptsReports, type BodyRecord } from './storage/bodies-repository';

/** The bodies pinned by the upgrade, or null if the file needed none. */
export function upgradePinnedKeysFile(path: string, bodies: readonly BodyRecord[]): string[] | null {
  try {
    readDirectoryPins(resolve(path));
    return null;
  } catch (error) {
    if (!(error instanceof PinnedKeysVersion1Error)) throw error;
    const pins: Record<string, DirectoryPins[string]> = {};
    for (const body of bodies.filter(acceptsReports)) {
      const signed = signedDirectorySchema.safeParse(JSON.parse(body.signedDirectory));
      if (signed.success && error.keys.includes(signed.data.signerKey)) pins[body.id] = { keys: [signed.data.signerKey], minimumSerial: 0, unsignedCases: true };
    }
    writeDirectoryPins(resolve(path), pins);
    return Object.keys(pins);
  }
}
