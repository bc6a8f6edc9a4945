/**
 * The directory keys the intake trusts, read at build time and compiled into the JavaScript: the
 * server cannot change them without changing the code it serves (see docs/protocol.md §11.4).
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';


const pinnedKeysSchema = z
  .object({
    format: z.literal('candor-pinned-directory-keys'),
    version: z.literal(1),
    keys: z.array(z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'a 32-byte Ed25519 public key in base64url')).min(1),
  })
  .strict();
export type PinnedKeys = z.infer<typeof pinnedKeysSchema>;

export function pinnedKeysDocument(keys: readonly string[]): PinnedKeys {
  return pinnedKeysSchema.parse({ format: 'candor-pinned-directory-keys', version: 1, keys });
}

export function readPinnedKeys(path: string): string[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new Error(`Cannot read the pinned directory keys from ${path} (${(error as Error).message}). Set CANDOR_PINNED_KEYS_FILE, or run npm start once to create the demo.`);
  }
  const result = pinnedKeysSchema.safeParse(parsed);
  if (!result.success) throw new Error(`${path} is not a pinned-keys file: ${result.error.issues.map((issue) => issue.message).join('; ')}`);
  return result.data.keys;
}
