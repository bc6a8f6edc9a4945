/**
 * A digest: which cases had which news, per body, since the last alert to one investigator. It is
 * stored (versioned JSON) until sent, and rendered into a mail only then, with the settings of that
 * moment; case ids are kept to count each case once, and shown only if the investigator allows.
 */
import { z } from 'zod';

export const DIGEST_KINDS = ['new-case', 'followup', 'file', 'acknowledgment-soon', 'acknowledgment-passed', 'feedback-soon', 'feedback-passed'] as const;
export type DigestKind = (typeof DIGEST_KINDS)[number];

const digestEntrySchema = z.strictObject({
  bodyId: z.string().min(1).max(64),
  kind: z.enum(DIGEST_KINDS),
  caseId: z.string().regex(/^[0-9a-f]{64}$/),
});
export type DigestEntry = z.infer<typeof digestEntrySchema>;

const digestSchema = z.strictObject({ version: z.literal(1), entries: z.array(digestEntrySchema) });
export type Digest = z.infer<typeof digestSchema>;

const entryKey = (entry: DigestEntry) => `${entry.bodyId} ${entry.kind} ${entry.caseId}`;

/** The entries of both, each once, in a stable order (body, kind, case). */
export function mergeDigest(digest: Digest | undefined, entries: readonly DigestEntry[]): Digest {
  const all = new Map<string, DigestEntry>();
  for (const entry of [...(digest?.entries ?? []), ...entries]) all.set(entryKey(entry), entry);
  return { version: 1, entries: [...all.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, entry]) => entry) };
}

export function serializeDigest(digest: Digest): string {
  return JSON.stringify(digest);
}

/** Reads a stored digest; an unknown version or shape throws (the sender drops it and says so). */
export function parseDigest(text: string): Digest {
  return digestSchema.parse(JSON.parse(text));
}
