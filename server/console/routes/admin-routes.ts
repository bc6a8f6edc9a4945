/** Administration (admins only): accounts, bodies and their directories, the audit log. */
import { Router, type Response } from 'express';
import { AppError } from '../../errors';
import { parseInput } from '../../http/validate';
import { createAccount, disableAccount, resetSecondFactor, secondFactorsOf } from '../accounts-service';
import { requirePasswordChanged, requireRole, requireSession, sessionOf, type ConsoleLocals } from '../auth/sessions';
import { directoryStatus } from '../directory';
import { accountIdSchema, auditQuerySchema, bodyIdSchema, newAccountSchema } from '../schemas';
import type { ConsoleRouteDeps } from './deps';

type Res = Response<unknown, ConsoleLocals>;

export function adminRouter({ storage, clock }: ConsoleRouteDeps): Router {
  const router = Router();
  router.use('/admin', requireSession('complete'), requirePasswordChanged, requireRole('admin'));

  router.get('/admin/accounts', (_req, res: Res) => {
    res.json({
      accounts: storage.accounts.list().map((account) => ({
        id: account.id,
        username: account.username,
        role: account.role,
        bodies: account.bodyIds,
        disabledOn: account.disabledOn,
        secondFactors: secondFactorsOf(storage, account.id),
      })),
    });
  });

  router.post('/admin/accounts', async (req, res: Res) => {
    const { username, role, bodies } = parseInput(newAccountSchema, req.body, 'account');
    const created = await createAccount(storage, clock, { username, role, bodyIds: bodies, actor: sessionOf(res).account.username });
    res.status(201).json(created);
  });

  router.post('/admin/accounts/:accountId/disable', (req, res: Res) => {
    const session = sessionOf(res);
    const accountId = parseInput(accountIdSchema, req.params.accountId, 'account id');
    if (accountId === session.accountId) throw new AppError('conflict', 'You cannot disable your own account.');
    disableAccount(storage, clock, accountId, session.account.username);
    res.status(204).end();
  });

  router.post('/admin/accounts/:accountId/reset-second-factor', async (req, res: Res) => {
    const session = sessionOf(res);
    const accountId = parseInput(accountIdSchema, req.params.accountId, 'account id');
    if (accountId === session.accountId) throw new AppError('conflict', 'Another administrator must reset your second factor.');
    res.json(await resetSecondFactor(storage, clock, accountId, session.account.username));
  });

  router.get('/admin/bodies', async (_req, res: Res) => {
    const now = clock.now();
    const bodies = await Promise.all(
      storage.bodies.list().map(async (body) => {
        const status = await directoryStatus(storage, body.id, now);
        return { id: body.id, name: body.name, inSync: status.inSync, signed: status.signed, investigators: status.investigators.map(({ accountId, username, fingerprint }) => ({ accountId, username, fingerprint })) };
      }),
    );
    res.json({ bodies });
  });

  router.get('/admin/audit', (req, res: Res) => {
    const query = parseInput(auditQuerySchema, req.query, 'audit query');
    res.json({ entries: storage.audit.list({ limit: query.limit, ...(query.beforeSeq === undefined ? {} : { beforeSeq: query.beforeSeq }) }) });
  });

  return router;
}

/** A body's directory, for its investigators (to encrypt replies and notes) and for admins. */
export function bodyRouter({ storage, clock }: ConsoleRouteDeps): Router {
  const router = Router();
  router.get('/bodies/:bodyId/directory', requireSession('complete'), requirePasswordChanged, async (req, res: Res) => {
    const session = sessionOf(res);
    const bodyId = parseInput(bodyIdSchema, req.params.bodyId, 'body id');
    if (session.account.role !== 'admin' && !session.account.bodyIds.includes(bodyId)) throw new AppError('not-found', 'There is no such body.');
    const status = await directoryStatus(storage, bodyId, clock.now());
    res.json({
      signedDirectory: status.signedDirectory,
      signed: status.signed,
      investigators: status.investigators,
      inSync: status.inSync,
    });
  });
  return router;
}
