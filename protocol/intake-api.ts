/**
 * The intake API's contract (docs/api.md): the schema of every request the server parses and of every
 * answer the browser parses, and the headers both send. Types are inferred from the schemas, so the
 * server's answers and the client's reading of them cannot drift apart. Limits that come from the
 * server's configuration are the factories' parameters. Refusals are the error answer of
 * protocol/wire.ts; the statistics routes answer the document of protocol/statistics.ts.
 */
import { z } from 'zod';
import { signedDirectorySchema } from '../crypto/index';
import { CASE_STATUSES } from './case-workflow';
import { base64url, blobIdSchema, bodyIdSchema, caseIdSchema, daySchema, decoded, envelopeSchema, objectSeqSchema } from './wire';

// Headers, as docs/api.md writes them (HTTP compares their names without regard to case).
/** `<challenge>.<nonce>` on case creation: the work, checked before the body is read. */
export const PROOF_OF_WORK_HEADER = 'Candor-Proof-Of-Work';
/** The case a request is about: case creation and every reporter request. */
export const CASE_ID_HEADER = 'Candor-Case-Id';
export const CHALLENGE_HEADER = 'Candor-Challenge';
export const SIGNATURE_HEADER = 'Candor-Signature';
/** SHA-256 of a reporter request's body, in lower-case hex, signed with the rest. */
export const CONTENT_SHA256_HEADER = 'Candor-Content-SHA256';
/** On every successful reporter answer: the challenge for the case's next request. */
export const NEXT_CHALLENGE_HEADER = 'Candor-Next-Challenge';

/** Every page of a reporter's status is exactly this long (docs/protocol.md §8). */
export const STATUS_ANSWER_BYTES = 8192;
/**
 * Objects listed per status page. With the longest entry (~90 bytes of JSON) a full page and the
 * status fields stay well inside STATUS_ANSWER_BYTES, which every page is padded to.
 */
export const STATUS_PAGE_OBJECTS = 32;
/** The kinds of object a reporter reads: investigators' replies and the reporter's own copies. */
export const REPORTER_OBJECT_KINDS = ['reply', 'reporter-copy'] as const;

const count = z.number().int().nonnegative();
const positive = z.number().int().positive();

// Requests.

export const publicKeySchema = base64url.transform((text, context) => {
  const bytes = decoded(text, context, 'a public key is 32 bytes in canonical base64url');
  if (bytes.length !== 32) context.addIssue({ code: 'custom', message: 'a public key has 32 bytes' });
  return bytes;
});

/** `POST /api/v1/cases`; the work for it goes in headers (proofOfWorkHeadersSchema). */
export function createCaseSchema(maxObjectBytes: number) {
  return z
    .object({
      bodyId: bodyIdSchema,
      caseId: caseIdSchema,
      authPublicKey: publicKeySchema,
      replyPublicKey: publicKeySchema,
      report: envelopeSchema('report', maxObjectBytes),
      reporterCopy: envelopeSchema('reporter-copy', maxObjectBytes),
    })
    .strict();
}
/** The creation as the browser sends it: base64url text. */
export type CreateCaseRequest = z.input<ReturnType<typeof createCaseSchema>>;
/** The creation as the server has parsed it: bytes. */
export type CreateCaseInput = z.output<ReturnType<typeof createCaseSchema>>;

export interface ProofOfWork {
  readonly challenge: string;
  readonly nonce: string;
}

/** The value of the Candor-Proof-Of-Work header. */
export const proofOfWorkHeaderValue = ({ challenge, nonce }: ProofOfWork): string => `${challenge}.${nonce}`;

/** Candor-Proof-Of-Work and Candor-Case-Id on case creation, checked before the body is read. */
export const proofOfWorkHeadersSchema = z.object({
  proofOfWork: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,64}\.[0-9a-z]{1,7}$/, 'challenge.nonce, as docs/api.md says')
    .transform((value): ProofOfWork => {
      const [challenge = '', nonce = ''] = value.split('.');
      return { challenge, nonce };
    }),
  caseId: caseIdSchema,
});

/** `POST /api/v1/case/challenge`. */
export const challengeRequestSchema = z.object({ caseId: caseIdSchema }).strict();
export type ChallengeRequest = z.input<typeof challengeRequestSchema>;

/** `GET /api/v1/case?after=`: the last message number of the previous page; 0, or absent, for the first page. */
export const statusQuerySchema = z.object({ after: z.union([z.literal('0').transform(Number), objectSeqSchema]).default(0) }).strict();

/** `POST /api/v1/case/followups`. */
export function followupSchema(maxObjectBytes: number) {
  return z
    .object({
      message: envelopeSchema('followup', maxObjectBytes),
      reporterCopy: envelopeSchema('reporter-copy', maxObjectBytes).optional(),
    })
    .strict();
}
export type FollowupRequest = z.input<ReturnType<typeof followupSchema>>;

/** `POST /api/v1/case/uploads`: `size` is the most bytes the upload will have. */
export const startUploadSchema = z.object({ uploadId: blobIdSchema, size: positive }).strict();
export type StartUploadRequest = z.input<typeof startUploadSchema>;

/** `PUT /api/v1/case/uploads/:uploadId?offset=`. */
export const offsetSchema = z.object({ offset: z.string().regex(/^(0|[1-9][0-9]{0,14})$/, 'a byte offset in decimal').transform(Number) });

const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/, 'SHA-256 as lower-case hex');
/** The exact size; may be less than the size declared at the start, which is an upper bound. */
const exactSize = positive.optional();

/**
 * `POST /api/v1/case/uploads/:uploadId/complete`, naming the whole file's digest: `blockSha256`
 * (docs/protocol.md §9), or the older `sha256`, still taken from pages loaded before an upgrade.
 * Exactly one of the two.
 */
export const completeUploadSchema = z.union([
  z.object({ blockSha256: sha256Hex, size: exactSize }).strict(),
  z.object({ sha256: sha256Hex, size: exactSize }).strict(),
]);
export type CompleteUploadRequest = z.input<typeof completeUploadSchema>;

// Answers. `GET /api/v1/case/objects/:seq` answers bytes (a sealed envelope), and the statistics
// routes the statistics document (protocol/statistics.ts) or CSV.

/** `GET /api/v1/bodies`. */
export const bodiesAnswerSchema = z.object({ bodies: z.array(z.object({ id: bodyIdSchema, name: z.string() }).strict()) }).strict();
export type BodiesAnswer = z.infer<typeof bodiesAnswerSchema>;
export type BodySummary = BodiesAnswer['bodies'][number];

/**
 * `GET /api/v1/bodies/:bodyId`: the signed directory, verified by `verifyBodyDirectory` against the
 * keys the client pins for that body; it carries the questionnaire and policy the intake shows
 * (version 2). `name` is the server's word and never shown: clients show the signed name.
 */
export const bodyAnswerSchema = z.object({ id: bodyIdSchema, name: z.string(), signedDirectory: signedDirectorySchema }).strict();
export type BodyAnswer = z.infer<typeof bodyAnswerSchema>;

/** `POST /api/v1/proof-of-work`: `busy` when the price is above the quiet one; 32 bits is the most any configuration asks. */
export const proofOfWorkAnswerSchema = z.object({ challenge: z.string().min(1), difficultyBits: z.number().int().min(0).max(32), busy: z.boolean() }).strict();
export type ProofOfWorkAnswer = z.infer<typeof proofOfWorkAnswerSchema>;

/** `POST /api/v1/cases`: 201 when created, 200 for a repeated identical creation. */
export const caseCreatedAnswerSchema = z.object({ caseId: caseIdSchema, receivedOn: daySchema }).strict();
export type CaseCreatedAnswer = z.infer<typeof caseCreatedAnswerSchema>;

/** `POST /api/v1/case/challenge`. */
export const caseChallengeAnswerSchema = z.object({ challenge: z.string().min(1) }).strict();
export type CaseChallengeAnswer = z.infer<typeof caseChallengeAnswerSchema>;

export const statusObjectSchema = z.object({ seq: positive, kind: z.enum(REPORTER_OBJECT_KINDS), createdOn: daySchema, size: count }).strict();
export type StatusObject = z.infer<typeof statusObjectSchema>;

/** `GET /api/v1/case`: one page of the case's status, the same fields on every page. */
export const statusPageSchema = z
  .object({
    bodyId: bodyIdSchema,
    status: z.enum(CASE_STATUSES),
    /** Set only when closed; as recorded, which may be an older value than CASE_OUTCOMES lists. */
    outcome: z.string().nullable(),
    receivedOn: daySchema,
    acknowledgeDueOn: daySchema,
    acknowledgedOn: daySchema.nullable(),
    feedbackDueOn: daySchema,
    /** The day the investigators sent the reply they declared the feedback; null until then. */
    feedbackOn: daySchema.nullable(),
    closedOn: daySchema.nullable(),
    /** Replies and reporter copies after the page's cursor, oldest first; their bytes are fetched one by one. */
    objects: z.array(statusObjectSchema).max(STATUS_PAGE_OBJECTS),
    /** The cursor of the next page, or null on the last. */
    nextAfter: positive.nullable(),
    /** Spaces that bring every page to STATUS_ANSWER_BYTES. */
    padding: z.string().regex(/^ *$/, 'spaces'),
  })
  .strict();
export type StatusPage = z.infer<typeof statusPageSchema>;
/** A page as the server fills it, before it is padded. */
export type StatusPageContent = Omit<StatusPage, 'padding'>;

/** `POST /api/v1/case/followups`: the follow-up's number in the case. */
export const followupAnswerSchema = z.object({ seq: positive }).strict();
export type FollowupAnswer = z.infer<typeof followupAnswerSchema>;

/** `POST /api/v1/case/uploads` and `GET /api/v1/case/uploads/:uploadId`: bytes safely stored of those declared. */
export const uploadProgressAnswerSchema = z.object({ received: count, size: positive }).strict();
export type UploadProgressAnswer = z.infer<typeof uploadProgressAnswerSchema>;

/** `PUT /api/v1/case/uploads/:uploadId?offset=`. */
export const uploadPieceAnswerSchema = z.object({ received: count }).strict();
export type UploadPieceAnswer = z.infer<typeof uploadPieceAnswerSchema>;

/** `POST /api/v1/case/uploads/:uploadId/complete`. */
export const uploadCompleteAnswerSchema = z.object({ id: blobIdSchema, size: positive }).strict();
export type UploadCompleteAnswer = z.infer<typeof uploadCompleteAnswerSchema>;
