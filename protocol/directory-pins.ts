/**
 * The directory keys a client build trusts, per body (docs/protocol.md §11.4): a key pinned for one
 * body signs for no other, and `minimumSerial` refuses directories older than the last one the
 * admin pinned (a replay after a re-signing); `unsignedCases` says whether the body has cases from
 * before protocol version 2, whose reports are unsigned: only then does the console take an unsigned
 * report as a case (otherwise it is a server's forgery, docs/protocol.md §7.2). Compiled into both clients as
 * `__CANDOR_DIRECTORY_PINS__`; light on purpose, so that build tooling can read it.
 */
import { z } from 'zod';
import { bodyIdSchema } from './wire';

export const directoryKeySchema = z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'a 32-byte Ed25519 public key in base64url');

export const directoryPinSchema = z
  .object({ keys: z.array(directoryKeySchema).min(1).max(16), minimumSerial: z.number().int().min(0), unsignedCases: z.literal(true).optional() })
  .strict();
export type DirectoryPin = z.infer<typeof directoryPinSchema>;

export const directoryPinsSchema = z.record(bodyIdSchema, directoryPinSchema);
export type DirectoryPins = z.infer<typeof directoryPinsSchema>;
