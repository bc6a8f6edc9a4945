/** Cases, their workflow, replies, notes, attachments and audit entries; and a body's directory. */
import {
  auditEntriesAnswerSchema,
  bodyDirectoryAnswerSchema,
  caseDetailAnswerSchema,
  casePageAnswerSchema,
  caseSummarySchema,
  objectCreatedAnswerSchema,
  type NoteRequest,
  type ReplyRequest,
  type WorkflowChangeRequest,
} from '../../../protocol/console-api/index';
import { caseListPath, type CaseFilters } from '../case-query';
import type { ConsoleHttp } from './http';

const casePath = (caseId: string) => `/api/v1/cases/${encodeURIComponent(caseId)}`;

export const listCases = (http: ConsoleHttp, filters: CaseFilters, cursor: string | null) => http.get(caseListPath(filters, cursor), casePageAnswerSchema);
/** The case with an index of its objects; each object's ciphertext comes from `fetchCaseObject`. */
export const fetchCase = (http: ConsoleHttp, caseId: string) => http.get(casePath(caseId), caseDetailAnswerSchema);
export const fetchCaseObject = (http: ConsoleHttp, caseId: string, seq: number) => http.bytes(`${casePath(caseId)}/objects/${seq}`);
export const updateCase = (http: ConsoleHttp, caseId: string, patch: WorkflowChangeRequest) => http.send('PATCH', casePath(caseId), caseSummarySchema, patch);
export const postReply = (http: ConsoleHttp, caseId: string, reply: ReplyRequest) => http.send('POST', `${casePath(caseId)}/replies`, objectCreatedAnswerSchema, reply);
export const postNote = (http: ConsoleHttp, caseId: string, note: NoteRequest) => http.send('POST', `${casePath(caseId)}/notes`, objectCreatedAnswerSchema, note);
export const attachmentStream = (http: ConsoleHttp, caseId: string, attachmentId: string) =>
  http.stream(`${casePath(caseId)}/attachments/${encodeURIComponent(attachmentId)}`);
export const caseAudit = async (http: ConsoleHttp, caseId: string) => (await http.get(`${casePath(caseId)}/audit`, auditEntriesAnswerSchema)).entries;
export const caseExportPath = (caseId: string) => `${casePath(caseId)}/export`;
export const bodyDirectory = (http: ConsoleHttp, bodyId: string) => http.get(`/api/v1/bodies/${encodeURIComponent(bodyId)}/directory`, bodyDirectoryAnswerSchema);
