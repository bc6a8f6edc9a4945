/**
 * What the flood generator (flood-generator.ts) prints on stdout and the intake suite reads back:
 * how many requests of each kind the intake answered, with which statuses, in the flood's window.
 */
import { z } from 'zod';

/**
 * The requests a flood sends, each needing no work and no case key: everything an anonymous
 * attacker can send for free, including those that make the intake check a proof of work or an
 * Ed25519 signature before it refuses.
 */
export const FLOOD_KINDS = [
  /** POST /api/v1/proof-of-work: a challenge, fetched and never solved. */
  'proof-of-work',
  /** POST /api/v1/case/challenge for a random case id. */
  'case-challenge',
  /** POST /api/v1/cases with a well-formed case, a live challenge and a nonce that does not solve it, for a new case id. */
  'creation-new-id',
  /** The same for a case that exists: the answer must not tell the two apart. */
  'creation-existing-id',
  /** GET /api/v1/case without any reporter header. */
  'status-unsigned',
  /** GET /api/v1/case naming a real case, with a live challenge and a random signature. */
  'status-forged-real-id',
  /** The same naming a random case id: the intake verifies against a decoy key. */
  'status-forged-random-id',
] as const;
export type FloodKind = (typeof FLOOD_KINDS)[number];

/** Per kind, per HTTP status (or `error` when no answer came), the number of requests. */
const statusCountsSchema = z.record(z.string(), z.record(z.string(), z.number()));

export const floodReportSchema = z.object({
  concurrency: z.number(),
  /** How much after the agreed start the flood began; above 0 when the process was slow to start. */
  startLateMs: z.number(),
  elapsedMs: z.number(),
  /** Requests that got an HTTP answer, whatever its status. */
  answered: z.number(),
  answeredPerSecond: z.number(),
  /** Requests that got no answer (connection refused or reset). */
  errors: z.number(),
  firstError: z.string().nullable(),
  statuses: statusCountsSchema,
  /** The highest difficulty the flood's own proof-of-work requests were quoted; null if none answered. */
  maxDifficultyBits: z.number().nullable(),
  /** CPU time of the flood process over wall time (1 = one core busy). */
  clientCpuCores: z.number(),
});
export type FloodReport = z.infer<typeof floodReportSchema>;
