/** Administration: accounts, bodies, the whole audit log (admins only). */
import {
  accountCreatedAnswerSchema,
  adminAccountsAnswerSchema,
  adminBodiesAnswerSchema,
  auditEntriesAnswerSchema,
  secondFactorResetAnswerSchema,
  type AuditEntry,
  type AuditQuery,
  type NewAccountRequest,
} from '../../../protocol/console-api/index';
import type { ConsoleHttp } from './http';

const accountPath = (accountId: string) => `/api/v1/admin/accounts/${encodeURIComponent(accountId)}`;

export const AUDIT_PAGE_SIZE = 100;

export const listAccounts = async (http: ConsoleHttp) => (await http.get('/api/v1/admin/accounts', adminAccountsAnswerSchema)).accounts;
export const createAccount = (http: ConsoleHttp, account: NewAccountRequest) => http.send('POST', '/api/v1/admin/accounts', accountCreatedAnswerSchema, account);
export const disableAccount = (http: ConsoleHttp, accountId: string) => http.sendWithoutAnswer('POST', `${accountPath(accountId)}/disable`);
export const resetSecondFactor = (http: ConsoleHttp, accountId: string) => http.send('POST', `${accountPath(accountId)}/reset-second-factor`, secondFactorResetAnswerSchema);
export const listBodies = async (http: ConsoleHttp) => (await http.get('/api/v1/admin/bodies', adminBodiesAnswerSchema)).bodies;

/** One page of the audit log, newest first, before `beforeSeq` when given. */
export async function auditPage(http: ConsoleHttp, beforeSeq: number | null): Promise<AuditEntry[]> {
  const page: AuditQuery = beforeSeq === null ? { limit: AUDIT_PAGE_SIZE } : { limit: AUDIT_PAGE_SIZE, beforeSeq };
  const query = new URLSearchParams(Object.entries(page).map(([name, value]) => [name, String(value)]));
  return (await http.get(`/api/v1/admin/audit?${query.toString()}`, auditEntriesAnswerSchema)).entries;
}
