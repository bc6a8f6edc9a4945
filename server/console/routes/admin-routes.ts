/** Administration (admins only): accounts, bodies and their directories, the audit log. */
import { Router, type Response } from 'express';
import { parseInput } from '../../http/validate';
import { requirePasswordChanged, requireRole, requireSession, sessionOf, type ConsoleLocals } from '../auth/sessions';
import { auditQuerySchema, newAccountRequestSchema, type AdminAccountsAnswer, type AuditEntriesAnswer } from '../../../protocol/console-api/admin';
import type { AdminBodiesAnswer, BodyDirectoryAnswer } from '../../../protocol/console-api/bodies';
import { accountIdSchema } from '../../../protocol/console-api/common';
import { bodyIdSchema } from '../../../protocol/wire';
import type { ConsoleRouteDeps } from './deps';

type Res = Response<unknown, ConsoleLocals>;

export function adminRouter({ accounts, bodies, audit }: ConsoleRouteDeps): Router {
  const router = Router();
  router.use('/admin', requireSession('complete'), requirePasswordChanged, requireRole('admin'));

  router.get('/admin/accounts', (_req, res: Res) => {
    res.json({ accounts: accounts.list() } satisfies AdminAccountsAnswer);
  });

  router.post('/admin/accounts', async (req, res: Res) => {
    const { username, role, bodies: bodyIds } = parseInput(newAccountRequestSchema, req.body, 'account');
    res.status(201).json(await accounts.create({ username, role, bodyIds }, sessionOf(res).account));
  });

  router.post('/admin/accounts/:accountId/disable', (req, res: Res) => {
    accounts.disable(parseInput(accountIdSchema, req.params.accountId, 'account id'), sessionOf(res).account);
    res.status(204).end();
  });

  router.post('/admin/accounts/:accountId/reset-second-factor', async (req, res: Res) => {
    res.json(await accounts.resetSecondFactor(parseInput(accountIdSchema, req.params.accountId, 'account id'), sessionOf(res).account));
  });

  router.get('/admin/bodies', async (_req, res: Res) => {
    res.json({ bodies: await bodies.list() } satisfies AdminBodiesAnswer);
  });

  router.get('/admin/audit', (req, res: Res) => {
    res.json({ entries: audit.list(parseInput(auditQuerySchema, req.query, 'audit query')) } satisfies AuditEntriesAnswer);
  });

  return router;
}

/** A body's directory, for its investigators (to encrypt replies and notes) and for admins. */
export function bodyRouter({ bodies }: ConsoleRouteDeps): Router {
  const router = Router();
  router.get('/bodies/:bodyId/directory', requireSession('complete'), requirePasswordChanged, async (req, res: Res) => {
    const status = await bodies.directoryFor(sessionOf(res).account, parseInput(bodyIdSchema, req.params.bodyId, 'body id'));
    res.json({
      signedDirectory: status.signedDirectory,
      signed: status.signed,
      investigators: status.investigators,
      inSync: status.inSync,
    } satisfies BodyDirectoryAnswer);
  });
  return router;
}
