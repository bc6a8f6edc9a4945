/** Bodies and their signed directories (docs/console-api.md, "Bodies and directories", and `GET /admin/bodies`). */
import { z } from 'zod';
import { bodyIdSchema, daySchema } from '../wire';
import { accountIdSchema, fingerprintSchema } from './common';

/** What a body's signed directory lists, read with its own signer key; null when unsigned or expired. */
export const signedListingSchema = z
  .strictObject({
    /** Grows with each signature; 0 for a version 1 directory, which has none. */
    serial: z.number().int().min(0),
    issuedOn: daySchema,
    expiresOn: daySchema,
    recipients: z.array(z.strictObject({ label: z.string(), fingerprint: fingerprintSchema })),
  })
  .nullable();
export type SignedListing = z.infer<typeof signedListingSchema>;

const investigator = z.strictObject({ accountId: accountIdSchema, username: z.string(), fingerprint: fingerprintSchema });

/** `GET /bodies/:bodyId/directory`. */
export const bodyDirectoryAnswerSchema = z.strictObject({
  /** The signed directory the intake serves: its shape and signature are checked by crypto's verifyDirectory, in the console. */
  signedDirectory: z.unknown(),
  signed: signedListingSchema,
  /** The active keys of the body's investigators. */
  investigators: z.array(investigator.extend({ publicKey: z.string().min(1) })),
  /** False while the signed directory and the investigators' current keys differ. */
  inSync: z.boolean(),
});
export type BodyDirectoryAnswer = z.infer<typeof bodyDirectoryAnswerSchema>;
export type DirectoryInvestigator = BodyDirectoryAnswer['investigators'][number];

/** One body as the admin page lists it. */
export const adminBodySchema = z.strictObject({
  id: bodyIdSchema,
  name: z.string(),
  inSync: z.boolean(),
  signed: signedListingSchema,
  investigators: z.array(investigator),
});
export type AdminBody = z.infer<typeof adminBodySchema>;

/** `GET /admin/bodies`. */
export const adminBodiesAnswerSchema = z.strictObject({ bodies: z.array(adminBodySchema) });
export type AdminBodiesAnswer = z.infer<typeof adminBodiesAnswerSchema>;
