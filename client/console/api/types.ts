/** The shapes of the console API's answers (docs/console-api.md), as the browser reads them. */
import type { CaseOutcome, CasePriority as Priority, CaseStatus } from '../../../protocol/case-workflow';

export type Role = 'admin' | 'investigator';
export type SessionStage = 'password' | 'complete';

export interface BodyRef {
  readonly id: string;
  readonly name: string;
}

export interface SecondFactors {
  readonly totp: boolean;
  readonly webauthn: number;
  readonly recoveryCodesLeft: number;
}

export interface Account {
  readonly id: string;
  readonly username: string;
  readonly role: Role;
  readonly bodies: readonly BodyRef[];
  readonly mustChangePassword: boolean;
  readonly secondFactors: SecondFactors;
}

export interface Session {
  readonly stage: SessionStage;
  readonly csrfToken: string;
  /** The server ends the session after this many minutes without a request; the tab locks itself after as many without use. */
  readonly idleMinutes: number;
  readonly account: Account;
}

export interface TotpSecret {
  readonly secret: string;
  readonly otpauthUri: string;
}

export interface AccountKey {
  readonly fingerprint: string;
  readonly publicKey: string;
  readonly lockedPrivateKey: string;
  readonly createdOn: string;
  readonly retiredOn: string | null;
}

export { CASE_OUTCOMES, CASE_PRIORITIES as PRIORITIES, CASE_STATUSES } from '../../../protocol/case-workflow';
export type { CaseOutcome, Priority, CaseStatus };
export type DueMark = 'overdue' | 'soon';

export interface CaseSummary {
  readonly id: string;
  readonly bodyId: string;
  readonly receivedOn: string;
  readonly status: CaseStatus;
  readonly outcome: CaseOutcome | null;
  readonly priority: Priority;
  readonly assignee: { readonly id: string; readonly username: string } | null;
  readonly labels: readonly string[];
  readonly acknowledgedOn: string | null;
  readonly feedbackOn: string | null;
  readonly closedOn: string | null;
  readonly acknowledgeDueOn: string;
  readonly feedbackDueOn: string;
  readonly due: DueMark | null;
  /** The case's X25519 reply key in base64url: replies are sealed to it. */
  readonly replyPublicKey: string;
}

export type CaseObjectKind = 'report' | 'followup' | 'note' | 'reply-copy';

/** One entry of a case's object index; the stored envelope itself is fetched on its own (`fetchCaseObject`). */
export interface CaseObjectInfo {
  readonly seq: number;
  readonly kind: CaseObjectKind;
  readonly createdOn: string;
  /** Bytes of the stored envelope. */
  readonly size: number;
}

/** The part of a body's questionnaire the console needs: the words of each question and choice. */
export interface Questionnaire {
  readonly questions: readonly {
    readonly id: string;
    readonly label: Readonly<Record<string, string>>;
    readonly choices?: readonly { readonly id: string; readonly label: Readonly<Record<string, string>> }[] | undefined;
  }[];
}

export interface CaseDetail extends CaseSummary {
  readonly objects: readonly CaseObjectInfo[];
  readonly attachments: readonly { readonly id: string; readonly size: number; readonly createdOn: string }[];
  readonly questionnaire: Questionnaire | null;
}

export interface CasePage {
  readonly cases: readonly CaseSummary[];
  readonly nextCursor: string | null;
}

export interface AuditEntry {
  readonly seq: number;
  readonly at: string;
  readonly actor: string;
  readonly action: string;
  readonly bodyId: string | null;
  readonly caseId: string | null;
  readonly details: unknown;
}

export interface DirectoryInvestigator {
  readonly accountId: string;
  readonly username: string;
  readonly fingerprint: string;
  readonly publicKey: string;
}

export interface BodyDirectory {
  readonly signedDirectory: unknown;
  readonly investigators: readonly DirectoryInvestigator[];
  readonly inSync: boolean;
}

export interface AdminAccount {
  readonly id: string;
  readonly username: string;
  readonly role: Role;
  readonly bodies: readonly string[];
  readonly disabledOn: string | null;
  readonly secondFactors: SecondFactors;
}

export interface AdminBody {
  readonly id: string;
  readonly name: string;
  readonly inSync: boolean;
}
