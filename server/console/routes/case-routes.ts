/** Cases for investigators of their own bodies: list, read ciphertext object by object, triage, reply, note, export. */
import { pipeline } from 'node:stream/promises';
import { Router, type Request, type Response } from 'express';
import { parseInput } from '../../http/validate';
import { requirePasswordChanged, requireRole, requireSession, sessionOf, type ConsoleLocals } from '../auth/sessions';
import type { AuditEntriesAnswer } from '../../../protocol/console-api/admin';
import { caseListQuerySchema, noteRequestSchema, replyRequestSchema, workflowChangeRequestSchema, type ObjectCreatedAnswer } from '../../../protocol/console-api/cases';
import { blobIdSchema, caseIdSchema, objectSeqSchema } from '../../../protocol/wire';
import type { ReachableCase } from '../services/case-service';
import type { ConsoleRouteDeps } from './deps';

type Res = Response<unknown, ConsoleLocals>;

export function caseRouter({ config, cases }: ConsoleRouteDeps): Router {
  const router = Router();
  router.use('/cases', requireSession('complete'), requirePasswordChanged, requireRole('investigator'));
  const maxObjectBytes = config.limits.requestBodyBytes;

  /**
   * The case in the path, if the signed-in investigator may reach it. Looked up before the rest of
   * the request is parsed: a case out of reach is answered 404 whatever else was sent.
   */
  const caseOf = (req: Request, res: Res): ReachableCase => cases.reach(sessionOf(res).account, parseInput(caseIdSchema, req.params.caseId, 'case id'));

  router.get('/cases', (req, res: Res) => {
    res.json(cases.list(sessionOf(res).account, parseInput(caseListQuerySchema, req.query, 'case filter')));
  });

  router.get('/cases/:caseId', (req, res: Res) => {
    res.json(cases.view(caseOf(req, res)));
  });

  router.get('/cases/:caseId/objects/:seq', (req, res: Res) => {
    const target = caseOf(req, res);
    const ciphertext = cases.objectOf(target, parseInput(objectSeqSchema, req.params.seq, 'object number'));
    res.setHeader('Content-Type', 'application/octet-stream');
    res.setHeader('Content-Length', String(ciphertext.length));
    res.end(ciphertext);
  });

  router.get('/cases/:caseId/attachments/:attachmentId', async (req, res: Res) => {
    const target = caseOf(req, res);
    const { size, file } = await cases.openAttachment(target, parseInput(blobIdSchema, req.params.attachmentId, 'attachment id'));
    res.setHeader('Content-Type', 'application/octet-stream');
    res.setHeader('Content-Length', String(size));
    await pipeline(file.createReadStream(), res);
  });

  router.patch('/cases/:caseId', (req, res: Res) => {
    const target = caseOf(req, res);
    res.json(cases.changeWorkflow(target, parseInput(workflowChangeRequestSchema, req.body, 'case change')));
  });

  router.post('/cases/:caseId/replies', (req, res: Res) => {
    const target = caseOf(req, res);
    const seq = cases.reply(target, parseInput(replyRequestSchema(maxObjectBytes), req.body, 'reply'));
    res.status(201).json({ seq } satisfies ObjectCreatedAnswer);
  });

  router.post('/cases/:caseId/notes', (req, res: Res) => {
    const target = caseOf(req, res);
    const seq = cases.addNote(target, parseInput(noteRequestSchema(maxObjectBytes), req.body, 'note').message);
    res.status(201).json({ seq } satisfies ObjectCreatedAnswer);
  });

  router.get('/cases/:caseId/export', async (req, res: Res) => {
    const pending = cases.export(caseOf(req, res));
    res.setHeader('Content-Type', 'application/x-tar');
    res.setHeader('Content-Disposition', `attachment; filename="${pending.fileName}"`);
    await pending.writeTo(res);
  });

  router.get('/cases/:caseId/audit', (req, res: Res) => {
    res.json({ entries: cases.auditTrail(caseOf(req, res)) } satisfies AuditEntriesAnswer);
  });

  return router;
}
