/**
 * A body's signed directory as both clients use it (docs/protocol.md §11): verified against the keys
 * pinned in the build for the body the person chose, and for no other, before anything shown as the
 * body's (its name, questionnaire, policy, the roles of its investigators) or encrypted to it.
 */
import { z } from 'zod';
import { CryptoError, directorySerial, verifyDirectory, type DirectoryDocument, type RecipientKey } from '../crypto/index';
import { questionnaireSchema, type Questionnaire } from './questionnaire';
import type { DirectoryPins } from './directory-pins';

const localizedText = z.record(z.string().regex(/^[a-z]{2}$/), z.string().min(1).max(4000));
export type LocalizedText = z.infer<typeof localizedText>;

/** What a version 2 directory carries for the intake to show reporters: signed, so the server can change none of it. */
export const intakeTextsSchema = z
  .object({
    questionnaire: questionnaireSchema,
    /** The body's policy for reporters (who reads reports, how they are handled), shown before they write. */
    policy: localizedText.optional(),
  })
  .strict();
export type IntakeTexts = z.infer<typeof intakeTextsSchema>;

export interface BodyDirectory {
  readonly bodyId: string;
  /** The body's name as signed. */
  readonly name: string;
  readonly serial: number;
  readonly expiresOn: string;
  readonly recipients: readonly RecipientKey[];
  /** What reporters see as the author of each investigator's replies, by fingerprint (none in version 1). */
  readonly roles: ReadonlyMap<string, string>;
  /** The signed questionnaire; null for a version 1 directory, which has none (the client then asks its built-in questions). */
  readonly questionnaire: Questionnaire | null;
  readonly policy: LocalizedText | null;
  readonly document: DirectoryDocument;
}

/** Checks what a version 2 directory says to reporters; throws `directory-invalid` if malformed. */
export function checkIntakeTexts(document: DirectoryDocument): IntakeTexts | null {
  if (document.version === 1) return null;
  const parsed = intakeTextsSchema.safeParse(document.intake);
  if (!parsed.success) throw new CryptoError('directory-invalid', `The directory's intake texts are malformed: ${parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')}`);
  return parsed.data;
}

export interface VerifyBodyDirectoryOptions {
  readonly pins: DirectoryPins;
  /** The body the person chose, never one the server named. */
  readonly bodyId: string;
  /** A serial the caller saw for this body before (a reporter's own report names one). */
  readonly minimumSerial?: number;
  readonly now?: Date;
}

/** Verifies `signed` as the directory of `bodyId`; throws a CryptoError naming the first problem. */
export async function verifyBodyDirectory(signed: unknown, options: VerifyBodyDirectoryOptions): Promise<BodyDirectory> {
  const pin = Object.hasOwn(options.pins, options.bodyId) ? options.pins[options.bodyId] : undefined;
  if (pin === undefined) throw new CryptoError('directory-not-pinned', `This site pins no directory key for ${options.bodyId}.`);
  const verified = await verifyDirectory(signed, {
    pinnedKeys: pin.keys,
    bodyId: options.bodyId,
    minimumSerial: Math.max(pin.minimumSerial, options.minimumSerial ?? 0),
    ...(options.now === undefined ? {} : { now: options.now }),
  });
  const { document } = verified;
  const texts = checkIntakeTexts(document);
  return {
    bodyId: document.body.id,
    name: document.body.name,
    serial: directorySerial(document),
    expiresOn: document.expiresOn,
    recipients: verified.recipients,
    roles: new Map(document.version === 1 ? [] : document.recipients.map((recipient) => [recipient.fingerprint, recipient.role])),
    questionnaire: texts?.questionnaire ?? null,
    policy: texts?.policy ?? null,
    document,
  };
}
