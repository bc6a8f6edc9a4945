/** Cases, their workflow, replies, notes, attachments and audit entries; and a body's directory. */
import type { Base64Url } from '../../../crypto/index';
import { caseListPath, type CaseFilters } from '../case-query';
import type { WorkflowPatch } from '../workflow';
import type { ConsoleHttp } from './http';
import type { AuditEntry, BodyDirectory, CaseDetail, CasePage, CaseSummary } from './types';

const casePath = (caseId: string) => `/api/v1/cases/${encodeURIComponent(caseId)}`;

export const listCases = (http: ConsoleHttp, filters: CaseFilters, cursor: string | null) => http.get<CasePage>(caseListPath(filters, cursor));
/** The case with an index of its objects; each object's ciphertext comes from `fetchCaseObject`. */
export const fetchCase = (http: ConsoleHttp, caseId: string) => http.get<CaseDetail>(casePath(caseId));
export const fetchCaseObject = (http: ConsoleHttp, caseId: string, seq: number) => http.bytes(`${casePath(caseId)}/objects/${seq}`);
export const updateCase = (http: ConsoleHttp, caseId: string, patch: WorkflowPatch) => http.send<CaseSummary>('PATCH', casePath(caseId), patch);
export const postReply = (http: ConsoleHttp, caseId: string, reply: { sealed: Base64Url; copy: Base64Url }) => http.send<{ seq: number }>('POST', `${casePath(caseId)}/replies`, reply);
export const postNote = (http: ConsoleHttp, caseId: string, note: { message: Base64Url }) => http.send<{ seq: number }>('POST', `${casePath(caseId)}/notes`, note);
export const attachmentStream = (http: ConsoleHttp, caseId: string, attachmentId: string) =>
  http.stream(`${casePath(caseId)}/attachments/${encodeURIComponent(attachmentId)}`);
export const caseAudit = async (http: ConsoleHttp, caseId: string) => (await http.get<{ entries: AuditEntry[] }>(`${casePath(caseId)}/audit`)).entries;
export const caseExportPath = (caseId: string) => `${casePath(caseId)}/export`;
export const bodyDirectory = (http: ConsoleHttp, bodyId: string) => http.get<BodyDirectory>(`/api/v1/bodies/${encodeURIComponent(bodyId)}/directory`);
