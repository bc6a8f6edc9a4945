/**
 * Cases for investigators of their bodies: the list and its filters, a case with the index of its
 * objects, triage, replies and notes (docs/console-api.md, "Cases"). Objects and attachments are
 * served as raw bytes, outside these schemas.
 */
import { z } from 'zod';
import { LABEL_PATTERN, LABEL_RULE, MAX_LABELS } from '../case-labels';
import { CASE_OUTCOMES, CASE_PRIORITIES, CASE_STATUSES } from '../case-workflow';
import { REPLY_PURPOSES } from '../investigator-messages';
import { base64url, blobIdSchema, bodyIdSchema, caseIdSchema, daySchema, envelopeSchema } from '../wire';
import { accountIdSchema } from './common';

const label = z.string().trim().regex(LABEL_PATTERN, LABEL_RULE);

export const DUE_MARKERS = ['overdue', 'soon'] as const;
export type DueMarker = (typeof DUE_MARKERS)[number];

/** `GET /cases` query; `limit` arrives as text and is read as a number. */
export const caseListQuerySchema = z
  .strictObject({
    body: bodyIdSchema.optional(),
    status: z.enum(CASE_STATUSES).optional(),
    priority: z.enum(CASE_PRIORITIES).optional(),
    assignee: z.union([z.literal('me'), z.literal('none'), accountIdSchema]).optional(),
    label: label.optional(),
    due: z.enum(DUE_MARKERS).optional(),
    cursor: z.string().regex(/^\d{4}-\d{2}-\d{2}\.[0-9a-f]{64}$/, 'a cursor from a previous page').optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
  });
export type CaseListQuery = z.output<typeof caseListQuerySchema>;

/** How a case appears in every answer about it: workflow, deadlines, due marker, reply key. */
export const caseSummarySchema = z.strictObject({
  id: caseIdSchema,
  bodyId: bodyIdSchema,
  receivedOn: daySchema,
  status: z.enum(CASE_STATUSES),
  outcome: z.enum(CASE_OUTCOMES).nullable(),
  priority: z.enum(CASE_PRIORITIES),
  assignee: z.strictObject({ id: accountIdSchema, username: z.string() }).nullable(),
  labels: z.array(z.string()),
  acknowledgedOn: daySchema.nullable(),
  feedbackOn: daySchema.nullable(),
  closedOn: daySchema.nullable(),
  acknowledgeDueOn: daySchema,
  feedbackDueOn: daySchema,
  due: z.enum(DUE_MARKERS).nullable(),
  /** The case's X25519 reply key in base64url: replies are sealed to it (docs/protocol.md §10). */
  replyPublicKey: base64url.length(43),
});
export type CaseSummary = z.infer<typeof caseSummarySchema>;

/**
 * Why an investigator reaches none of a body's cases: they have no key yet, or their current key is
 * not in the body's signed directory (a new key is out of reach until an admin signs a directory listing it).
 */
export const UNREACHABLE_REASONS = ['no-key', 'key-not-listed'] as const;
export const unreachableBodySchema = z.strictObject({ bodyId: bodyIdSchema, reason: z.enum(UNREACHABLE_REASONS) });
export type UnreachableBody = z.infer<typeof unreachableBodySchema>;

/**
 * `GET /cases`: newest first, of the bodies the investigator reaches; `nextCursor` is null on the last
 * page; `unreachableBodies` names the investigator's other bodies and why their cases are out of reach.
 */
export const casePageAnswerSchema = z.strictObject({ cases: z.array(caseSummarySchema), nextCursor: z.string().nullable(), unreachableBodies: z.array(unreachableBodySchema) });
export type CasePageAnswer = z.infer<typeof casePageAnswerSchema>;

/** The objects an investigator reads; a reporter's own (`reply`, `reporter-copy`) are never listed. */
export const INDEXED_OBJECT_KINDS = ['report', 'followup', 'note', 'reply-copy'] as const;
export type IndexedObjectKind = (typeof INDEXED_OBJECT_KINDS)[number];

/** One entry of a case's object index; the envelope itself is `GET /cases/:caseId/objects/:seq`. */
export const caseObjectInfoSchema = z.strictObject({
  seq: z.number().int().positive(),
  kind: z.enum(INDEXED_OBJECT_KINDS),
  createdOn: daySchema,
  /** Bytes of the stored envelope. */
  size: z.number().int().nonnegative(),
});
export type CaseObjectInfo = z.infer<typeof caseObjectInfoSchema>;

/** `GET /cases/:caseId`: the summary, an index of objects and attachments (no ciphertext), the body's questions. */
export const caseDetailAnswerSchema = caseSummarySchema.extend({
  objects: z.array(caseObjectInfoSchema),
  attachments: z.array(z.strictObject({ id: blobIdSchema, size: z.number().int().nonnegative(), createdOn: daySchema })),
});
export type CaseDetailAnswer = z.infer<typeof caseDetailAnswerSchema>;

/** `PATCH /cases/:caseId`: what to change; the answer is the case's summary as it now is. */
export const workflowChangeRequestSchema = z
  .strictObject({
    status: z.enum(CASE_STATUSES).optional(),
    outcome: z.enum(CASE_OUTCOMES).optional(),
    priority: z.enum(CASE_PRIORITIES).optional(),
    assigneeId: accountIdSchema.nullable().optional(),
    labels: z.array(label).max(MAX_LABELS).optional(),
  })
  .refine((change) => Object.keys(change).length > 0, 'nothing to change');
export type WorkflowChangeRequest = z.input<typeof workflowChangeRequestSchema>;
export type WorkflowChange = z.output<typeof workflowChangeRequestSchema>;

/**
 * `POST /cases/:caseId/replies`: sealed to the reporter, and its copy for colleagues. Only each
 * envelope's header is checked (kind, version), never its content; `maxBytes` is the server's
 * `limits.requestBodyBytes`. `purpose` declares the reply the acknowledgment of receipt or the
 * feedback (absent: a plain message); it sets the case's days, and the console signs the same purpose
 * inside the reply (docs/protocol.md §10.1), which is what the reporter's page believes.
 */
export const replyRequestSchema = (maxBytes: number) =>
  z.strictObject({ sealed: envelopeSchema('reply', maxBytes), copy: envelopeSchema('reply-copy', maxBytes), purpose: z.enum(REPLY_PURPOSES).optional() });
export type ReplyRequest = z.input<ReturnType<typeof replyRequestSchema>>;

/** `POST /cases/:caseId/notes`: never shown to the reporter. */
export const noteRequestSchema = (maxBytes: number) => z.strictObject({ message: envelopeSchema('note', maxBytes) });
export type NoteRequest = z.input<ReturnType<typeof noteRequestSchema>>;

/** `POST /cases/:caseId/replies` and `/notes`: the new object's number (for a reply, the one sealed to the reporter). */
export const objectCreatedAnswerSchema = z.strictObject({ seq: z.number().int().positive() });
export type ObjectCreatedAnswer = z.infer<typeof objectCreatedAnswerSchema>;
