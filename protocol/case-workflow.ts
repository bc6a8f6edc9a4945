/**
 * The words of a case's workflow, one list for both sides (docs/console-api.md): the statuses in
 * their order, the outcomes a closed case may have, the priorities. The rules that move a case
 * between them are the server's (server/domain/workflow.ts).
 */

export const CASE_STATUSES = ['received', 'acknowledged', 'in-assessment', 'under-investigation', 'closed'] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

export const CASE_OUTCOMES = ['substantiated', 'not-substantiated', 'outside-scope', 'referred'] as const;
export type CaseOutcome = (typeof CASE_OUTCOMES)[number];

export const CASE_PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;
export type CasePriority = (typeof CASE_PRIORITIES)[number];
