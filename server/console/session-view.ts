/** The session answer the console client builds its state from (docs/console-api.md, GET /session). */
import type { Storage } from '../storage/index';
import { secondFactorsOf } from './accounts-service';
import type { ConsoleSession } from './auth/sessions';

export function sessionView(storage: Storage, session: ConsoleSession) {
  const { account } = session;
  return {
    stage: session.stage,
    csrfToken: session.csrfToken,
    idleMinutes: session.idleMinutes,
    account: {
      id: account.id,
      username: account.username,
      role: account.role,
      bodies: account.bodyIds.map((id) => ({ id, name: storage.bodies.find(id)?.name ?? id })),
      mustChangePassword: account.mustChangePassword,
      secondFactors: secondFactorsOf(storage, account.id),
    },
  };
}
