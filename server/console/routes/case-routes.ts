/** Cases for investigators of their own bodies: list, read ciphertext object by object, triage, reply, note, export. */
import { open } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { Router, type Response } from 'express';
import { dayOf, type Day } from '../../clock';
import { AppError } from '../../errors';
import { parseInput } from '../../http/validate';
import type { CaseObjectKind, CaseRecord } from '../../storage/cases-repository';
import type { AuditAction } from '../../storage/audit-log-repository';
import { requirePasswordChanged, requireRole, requireSession, sessionOf, type ConsoleLocals, type ConsoleSession } from '../auth/sessions';
import { writeCaseExport } from '../case-export';
import { caseSummary } from '../case-view';
import { attachmentIdSchema, caseIdSchema, caseListQuerySchema, noteSchema, objectSeqSchema, replySchema, workflowChangeSchema } from '../schemas';
import { planReplyEffects, planWorkflowChange } from '../workflow';
import type { ConsoleRouteDeps } from './deps';

type Res = Response<unknown, ConsoleLocals>;

/** What investigators read; `reply` and `reporter-copy` are sealed to the reporter and stay out of reach here. */
const CONSOLE_OBJECT_KINDS: readonly CaseObjectKind[] = ['report', 'followup', 'note', 'reply-copy'];

export function caseRouter({ config, storage, clock }: ConsoleRouteDeps): Router {
  const router = Router();
  router.use('/cases', requireSession('complete'), requirePasswordChanged, requireRole('investigator'));
  const maxObjectBytes = config.limits.requestBodyBytes;
  const today = () => dayOf(clock.now());

  /** A case of another body is answered exactly like one that does not exist. */
  function caseFor(session: ConsoleSession, rawId: unknown): CaseRecord {
    const caseId = parseInput(caseIdSchema, rawId, 'case id');
    const record = storage.cases.find(caseId);
    if (record === undefined || !session.account.bodyIds.includes(record.bodyId)) throw new AppError('not-found', 'There is no such case.');
    return record;
  }

  function audit(session: ConsoleSession, record: CaseRecord, action: AuditAction, details?: Record<string, string | number | boolean | null>): void {
    storage.audit.append({ actor: session.account.username, action, bodyId: record.bodyId, caseId: record.id, ...(details === undefined ? {} : { details }) }, clock.now());
  }

  const summaryOf = (record: CaseRecord) => caseSummary(storage, record, storage.cases.labels(record.id), today());

  router.get('/cases', (req, res: Res) => {
    const session = sessionOf(res);
    const query = parseInput(caseListQuerySchema, req.query, 'case filter');
    if (query.body !== undefined && !session.account.bodyIds.includes(query.body)) throw new AppError('forbidden', 'You do not work for this body.', { details: ['body'] });
    const [cursorDay, cursorId] = query.cursor?.split('.') ?? [];
    const records = storage.cases.list({
      bodyIds: query.body === undefined ? session.account.bodyIds : [query.body],
      ...(query.status === undefined ? {} : { status: query.status }),
      ...(query.priority === undefined ? {} : { priority: query.priority }),
      ...(query.assignee === undefined ? {} : { assigneeId: query.assignee === 'me' ? session.accountId : query.assignee === 'none' ? null : query.assignee }),
      ...(query.label === undefined ? {} : { label: query.label }),
      ...(query.due === undefined ? {} : { due: { kind: query.due, today: today() } }),
      ...(cursorDay === undefined || cursorId === undefined ? {} : { after: { receivedOn: cursorDay as Day, id: cursorId } }),
      limit: query.limit + 1,
    });
    const page = records.slice(0, query.limit);
    const labels = storage.cases.labelsOf(page.map((record) => record.id));
    const last = page.at(-1);
    res.json({
      cases: page.map((record) => caseSummary(storage, record, labels.get(record.id) ?? [], today())),
      nextCursor: records.length > query.limit && last !== undefined ? `${last.receivedOn}.${last.id}` : null,
    });
  });

  router.get('/cases/:caseId', (req, res: Res) => {
    const session = sessionOf(res);
    const record = caseFor(session, req.params.caseId);
    audit(session, record, 'case.viewed');
    res.json({
      ...summaryOf(record),
      // An index only: each ciphertext is its own request, so no answer grows with the case (issue 13).
      objects: storage.cases.objectIndex(record.id, CONSOLE_OBJECT_KINDS),
      attachments: storage.attachments.attachmentsOf(record.id).map(({ id, size, createdOn }) => ({ id, size, createdOn })),
      // The body's questions, so the console can show each answer under its question's words.
      questionnaire: JSON.parse(storage.bodies.find(record.bodyId)?.questionnaire ?? 'null') as unknown,
    });
  });

  // Not audited per object: opening the case, which lists them, already wrote `case.viewed`.
  router.get('/cases/:caseId/objects/:seq', (req, res: Res) => {
    const record = caseFor(sessionOf(res), req.params.caseId);
    const seq = parseInput(objectSeqSchema, req.params.seq, 'object number');
    const object = storage.cases.findObject(record.id, seq, CONSOLE_OBJECT_KINDS);
    if (object === undefined) throw new AppError('not-found', 'There is no such object.');
    res.setHeader('Content-Type', 'application/octet-stream');
    res.setHeader('Content-Length', String(object.ciphertext.length));
    res.end(object.ciphertext);
  });

  router.get('/cases/:caseId/attachments/:attachmentId', async (req, res: Res) => {
    const session = sessionOf(res);
    const record = caseFor(session, req.params.caseId);
    const attachmentId = parseInput(attachmentIdSchema, req.params.attachmentId, 'attachment id');
    const attachment = storage.attachments.findAttachment(attachmentId);
    if (attachment === undefined || attachment.caseId !== record.id) throw new AppError('not-found', 'There is no such attachment.');
    // Opened before the headers go out, so a missing file is still a clean JSON error.
    const file = await open(storage.blobs.blobPath(attachment.id), 'r');
    audit(session, record, 'case.attachment-downloaded', { attachment: attachment.id });
    res.setHeader('Content-Type', 'application/octet-stream');
    res.setHeader('Content-Length', String(attachment.size));
    await pipeline(file.createReadStream(), res);
  });

  router.patch('/cases/:caseId', (req, res: Res) => {
    const session = sessionOf(res);
    const record = caseFor(session, req.params.caseId);
    const requested = parseInput(workflowChangeSchema, req.body, 'case change');
    if (requested.assigneeId !== undefined && requested.assigneeId !== null) {
      const candidates = storage.accounts.investigatorsOf(record.bodyId);
      if (!candidates.some((account) => account.id === requested.assigneeId)) {
        throw new AppError('bad-request', 'Cases are assigned to investigators of their own body.', { details: ['assigneeId: not an investigator of this body'] });
      }
    }
    const change = planWorkflowChange(record, requested, today());
    const labels = requested.labels === undefined ? undefined : [...new Set(requested.labels.map((label) => label.trim()))].sort();
    storage.db.transaction(() => {
      storage.cases.updateWorkflow(record.id, change, labels);
      if (change.status !== undefined) audit(session, record, 'case.status-changed', { from: record.status, to: change.status, outcome: change.outcome ?? null });
      else if (change.outcome !== undefined) audit(session, record, 'case.status-changed', { from: record.status, to: record.status, outcome: change.outcome });
      if (change.priority !== undefined && change.priority !== record.priority) audit(session, record, 'case.priority-changed', { from: record.priority, to: change.priority });
      if (change.assigneeId !== undefined && change.assigneeId !== record.assigneeId) {
        audit(session, record, 'case.assigned', { to: change.assigneeId === null ? null : (storage.accounts.find(change.assigneeId)?.username ?? null) });
      }
      if (labels !== undefined) audit(session, record, 'case.labels-changed', { labels: labels.join(', ') });
    })();
    res.json(summaryOf(storage.cases.find(record.id) ?? record));
  });

  router.post('/cases/:caseId/replies', (req, res: Res) => {
    const session = sessionOf(res);
    const record = caseFor(session, req.params.caseId);
    const { sealed, copy } = parseInput(replySchema(maxObjectBytes), req.body, 'reply');
    const day = today();
    const seq = storage.db.transaction(() => {
      const replySeq = storage.cases.addObject(record.id, 'reply', sealed, day);
      storage.cases.addObject(record.id, 'reply-copy', copy, day);
      const effects = planReplyEffects(record, day);
      storage.cases.updateWorkflow(record.id, effects);
      // The reply's effects are deadline dates of the directive; the audit log alone must rebuild them.
      audit(session, record, 'case.replied', { seq: replySeq, ...(effects.feedbackOn === undefined ? {} : { feedbackOn: effects.feedbackOn }) });
      if (effects.status !== undefined && effects.status !== record.status) audit(session, record, 'case.status-changed', { from: record.status, to: effects.status, outcome: null });
      return replySeq;
    })();
    res.status(201).json({ seq });
  });

  router.post('/cases/:caseId/notes', (req, res: Res) => {
    const session = sessionOf(res);
    const record = caseFor(session, req.params.caseId);
    const { message } = parseInput(noteSchema(maxObjectBytes), req.body, 'note');
    const seq = storage.db.transaction(() => {
      const noteSeq = storage.cases.addObject(record.id, 'note', message, today());
      audit(session, record, 'case.note-added', { seq: noteSeq });
      return noteSeq;
    })();
    res.status(201).json({ seq });
  });

  router.get('/cases/:caseId/export', async (req, res: Res) => {
    const session = sessionOf(res);
    const record = caseFor(session, req.params.caseId);
    audit(session, record, 'case.exported');
    res.setHeader('Content-Type', 'application/x-tar');
    res.setHeader('Content-Disposition', `attachment; filename="candor-case-${record.id.slice(0, 12)}.tar"`);
    await writeCaseExport(storage, record.id, res);
  });

  router.get('/cases/:caseId/audit', (req, res: Res) => {
    const record = caseFor(sessionOf(res), req.params.caseId);
    res.json({ entries: storage.audit.list({ caseId: record.id, limit: 500 }) });
  });

  return router;
}
