/**
 * The pinned-keys file: the directory keys the clients trust, per body, read at build time and
 * compiled into the JavaScript: the server cannot change them without changing the code it serves
 * (docs/protocol.md §11.4). Version 1 was one list of keys for every body; it is refused here, and
 * `npm start` upgrades it (server/pinned-keys-upgrade.ts) by the bodies each key signed for.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { z } from 'zod';
import { directoryKeySchema, directoryPinsSchema, type DirectoryPins } from '../../protocol/directory-pins';

const FORMAT = 'candor-pinned-directory-keys';

const pinnedKeysV1 = z.object({ format: z.literal(FORMAT), version: z.literal(1), keys: z.array(directoryKeySchema).min(1) }).strict();
const pinnedKeysV2 = z.object({ format: z.literal(FORMAT), version: z.literal(2), bodies: directoryPinsSchema }).strict();

export class PinnedKeysVersion1Error extends Error {
  override readonly name = 'PinnedKeysVersion1Error';
  constructor(
    readonly path: string,
    readonly keys: readonly string[],
  ) {
    super(`${path} pins keys for every body (version 1); pin each body's key instead: npm run admin -- pin-directory-key --body <id> --key <key> (npm start upgrades the file itself).`);
  }
}

function readJson(path: string): unknown {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new Error(`Cannot read the pinned directory keys from ${path} (${(error as Error).message}). Set CANDOR_PINNED_KEYS_FILE, or run npm start once to create the demo.`);
  }
}

/** The pins of `path`; throws PinnedKeysVersion1Error for a version 1 file. */
export function readDirectoryPins(path: string): DirectoryPins {
  const parsed = readJson(path);
  const v1 = pinnedKeysV1.safeParse(parsed);
  if (v1.success) throw new PinnedKeysVersion1Error(path, v1.data.keys);
  const result = pinnedKeysV2.safeParse(parsed);
  if (!result.success) throw new Error(`${path} is not a pinned-keys file: ${result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')}`);
  return sortedPins(result.data.bodies);
}

/** Bodies and keys in a fixed order, so that the same pins always compile to the same code. */
function sortedPins(pins: DirectoryPins): DirectoryPins {
  return Object.fromEntries(
    Object.entries(pins)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([bodyId, pin]) => [bodyId, { ...pin, keys: [...pin.keys].sort() }]),
  );
}

export function writeDirectoryPins(path: string, pins: DirectoryPins): void {
  const document = pinnedKeysV2.parse({ format: FORMAT, version: 2, bodies: sortedPins(pins) });
  writeFileSync(path, `${JSON.stringify(document, null, 2)}\n`, { mode: 0o644 });
}
