/** Administration: accounts, bodies, the whole audit log (admins only). */
import type { ConsoleHttp } from './http';
import type { AdminAccount, AdminBody, AuditEntry, Role } from './types';

const accountPath = (accountId: string) => `/api/v1/admin/accounts/${encodeURIComponent(accountId)}`;

export const AUDIT_PAGE_SIZE = 100;

export const listAccounts = async (http: ConsoleHttp) => (await http.get<{ accounts: AdminAccount[] }>('/api/v1/admin/accounts')).accounts;
export const createAccount = (http: ConsoleHttp, account: { username: string; role: Role; bodies: string[] }) =>
  http.send<{ id: string; oneTimePassword: string }>('POST', '/api/v1/admin/accounts', account);
export const disableAccount = (http: ConsoleHttp, accountId: string) => http.send<undefined>('POST', `${accountPath(accountId)}/disable`);
export const resetSecondFactor = (http: ConsoleHttp, accountId: string) => http.send<{ oneTimePassword: string }>('POST', `${accountPath(accountId)}/reset-second-factor`);
export const listBodies = async (http: ConsoleHttp) => (await http.get<{ bodies: AdminBody[] }>('/api/v1/admin/bodies')).bodies;

/** One page of the audit log, newest first, before `beforeSeq` when given. */
export async function auditPage(http: ConsoleHttp, beforeSeq: number | null): Promise<AuditEntry[]> {
  const query = new URLSearchParams({ limit: String(AUDIT_PAGE_SIZE) });
  if (beforeSeq !== null) query.set('beforeSeq', String(beforeSeq));
  return (await http.get<{ entries: AuditEntry[] }>(`/api/v1/admin/audit?${query.toString()}`)).entries;
}
