/**
 * Who reads which encrypted object of a case (docs/protocol.md §1.2): investigators read the
 * report, follow-ups, notes and their copies of replies; the reporter reads the replies and their own
 * copies. Each side's routes serve only its kinds, and the offline export holds the investigators'.
 */
import { INDEXED_OBJECT_KINDS } from '../../protocol/console-api/cases';
import { REPORTER_OBJECT_KINDS as REPORTER_KINDS } from '../../protocol/intake-api';
import type { CaseObjectKind } from '../storage/cases-repository';

/** The investigators' kinds are the console's contract too: a case's object index lists them (protocol/console-api/cases.ts). */
export const INVESTIGATOR_OBJECT_KINDS = INDEXED_OBJECT_KINDS satisfies readonly CaseObjectKind[];
export type InvestigatorObjectKind = (typeof INVESTIGATOR_OBJECT_KINDS)[number];

/** The reporter's kinds are the intake's contract too: its status page lists them (protocol/intake-api.ts). */
export const REPORTER_OBJECT_KINDS = REPORTER_KINDS satisfies readonly CaseObjectKind[];
