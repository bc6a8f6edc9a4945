/**
 * An audit entry in words: its time in the reader's time zone, a name for its action and a sentence
 * for its details. What this console has no words for (an action or detail of a newer server, an
 * entry of an older one) is shown as "key: value" text, never as JSON.
 */
import { AUDIT_ACTIONS, type AuditAction, type AuditEntry } from '../../../protocol/console-api/index';
import { STRINGS, t, type StringKey } from '../strings';

type Details = AuditEntry['details'];
type Value = Details[string];

const isStringKey = (key: string): key is StringKey => Object.hasOwn(STRINGS, key);

/** The text of `prefix.value` when there is one (a status, outcome, priority, role or factor), else the value itself. */
function named(prefix: string, value: string): string {
  const key = `${prefix}.${value}`;
  return isStringKey(key) ? t(key) : value;
}

/** Date and time in the browser's time zone and language; `timeZone` and `locale` are for tests. */
export function auditTimeFormat(locale?: string, timeZone?: string): Intl.DateTimeFormat {
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'medium', ...(timeZone === undefined ? {} : { timeZone }) });
}

export function auditTimeText(at: string, format: Intl.DateTimeFormat): string {
  const time = new Date(at);
  return Number.isNaN(time.getTime()) ? at : format.format(time);
}

const ACTIONS: ReadonlySet<string> = new Set(AUDIT_ACTIONS);

export function auditActionText(action: string): string {
  const key = `auditAction.${action}`;
  return ACTIONS.has(action) && isStringKey(key) ? t(key) : action;
}

function valueText(value: Value): string {
  if (value === null) return t('auditDetail.none');
  if (typeof value === 'boolean') return t(value ? 'auditDetail.yes' : 'auditDetail.no');
  return String(value);
}

/** The fallback: every detail as "key: value", in the order the server wrote them. */
function keyValueText(details: Details): string {
  return Object.entries(details)
    .map(([key, value]) => `${key}: ${valueText(value)}`)
    .join('; ');
}

const text = (details: Details, key: string): string | undefined => {
  const value = details[key];
  return typeof value === 'string' ? value : undefined;
};
const count = (details: Details, key: string): number | undefined => {
  const value = details[key];
  return typeof value === 'number' ? value : undefined;
};
const has = (details: Details, ...keys: string[]) => keys.every((key) => Object.hasOwn(details, key));

/** Space-separated lists (account bodies, recipient fingerprints) as a readable list. */
const listText = (list: string) => list.split(' ').filter(Boolean).join(', ');

/**
 * One sentence per action from the details it is recorded with (server/console/services and
 * server/operations write them); undefined when the details are not of the expected shape.
 */
const DETAILS: Readonly<Record<AuditAction, (details: Details) => string | undefined>> = {
  'account.created': (d) => {
    const [username, role, bodies] = [text(d, 'username'), text(d, 'role'), text(d, 'bodies')];
    if (username === undefined || role === undefined || bodies === undefined) return undefined;
    return t('auditDetail.accountCreated', { username, role: named('role', role), bodies: listText(bodies) || t('auditDetail.noBodies') });
  },
  'account.disabled': (d) => withText(d, 'username', (username) => t('auditDetail.account', { username })),
  'account.password-changed': () => undefined,
  'account.second-factor-reset': (d) => withText(d, 'username', (username) => t('auditDetail.account', { username })),
  'account.totp-enrolled': () => undefined,
  'account.webauthn-registered': () => undefined,
  'account.recovery-code-used': (d) => withCount(d, 'left', (left) => t('auditDetail.recoveryCodesLeft', { left })),
  'session.signed-in': (d) => withText(d, 'factor', (factor) => t('auditDetail.signedInWith', { factor: named('auditDetail.factor', factor) })),
  'session.sign-in-failed': (d) => withText(d, 'step', (step) => t('auditDetail.failedAt', { step: named('auditDetail.factor', step) })),
  'session.signed-out': () => undefined,
  'key.added': (d) => withText(d, 'fingerprint', (fingerprint) => t('auditDetail.key', { fingerprint })),
  'key.retired': (d) => withText(d, 'fingerprint', (fingerprint) => t('auditDetail.key', { fingerprint })),
  'body.created': (d) => withText(d, 'name', (name) => t('auditDetail.bodyName', { name })),
  'directory.signed': (d) => {
    const [recipients, signerKey] = [text(d, 'recipients'), text(d, 'signerKey')];
    if (recipients === undefined || signerKey === undefined) return undefined;
    return t('auditDetail.directorySigned', { recipients: listText(recipients) || t('auditDetail.none'), signerKey });
  },
  'body.retention-changed': (d) => {
    if (d['retentionDays'] === null) return t('auditDetail.retentionDefault');
    return withCount(d, 'retentionDays', (days) => t('auditDetail.retentionDays', { days }));
  },
  'body.statistics-changed': (d) => (typeof d['publish'] === 'boolean' ? t(d['publish'] ? 'auditDetail.statisticsOn' : 'auditDetail.statisticsOff') : undefined),
  'case.viewed': () => undefined,
  'case.status-changed': (d) => {
    const [from, to, outcome] = [text(d, 'from'), text(d, 'to'), d['outcome']];
    if (from === undefined || to === undefined || (outcome !== undefined && outcome !== null && typeof outcome !== 'string')) return undefined;
    const statuses = { from: named('status', from), to: named('status', to) };
    if (typeof outcome !== 'string') return t('auditDetail.status', statuses);
    // The same status on both sides is a closed case whose outcome was corrected (docs/statistics.md).
    if (from === to) return t('auditDetail.outcomeCorrected', { outcome: named('outcome', outcome) });
    return t('auditDetail.statusOutcome', { ...statuses, outcome: named('outcome', outcome) });
  },
  'case.assigned': (d) => {
    if (d['to'] === null) return t('auditDetail.unassigned');
    return withText(d, 'to', (username) => t('auditDetail.assignedTo', { username }));
  },
  'case.priority-changed': (d) => {
    const [from, to] = [text(d, 'from'), text(d, 'to')];
    if (from === undefined || to === undefined) return undefined;
    return t('auditDetail.priority', { from: named('priority', from), to: named('priority', to) });
  },
  'case.labels-changed': (d) => {
    const [added, removed] = [count(d, 'added'), count(d, 'removed')];
    if (added !== undefined && removed !== undefined) return t('auditDetail.labelCounts', { added, removed });
    // Older entries named the labels the case was left with, comma-separated.
    const labels = text(d, 'labels');
    if (labels === undefined || has(d, 'added') || has(d, 'removed')) return undefined;
    return labels.trim() === '' ? t('auditDetail.noLabels') : t('auditDetail.labelList', { labels });
  },
  'case.replied': (d) => {
    // The purpose as the investigator declared it, and the days it recorded (older entries: a feedback day only).
    const [seq, purpose, acknowledged, feedback] = [count(d, 'seq'), text(d, 'purpose'), text(d, 'acknowledgedOn'), text(d, 'feedbackOn')];
    if (seq === undefined || (has(d, 'acknowledgedOn') && acknowledged === undefined) || (has(d, 'feedbackOn') && feedback === undefined)) return undefined;
    if (purpose !== undefined && purpose !== 'acknowledgment' && purpose !== 'feedback') return undefined;
    const parts = [purpose === undefined ? t('auditDetail.reply', { seq }) : t(`auditDetail.reply.${purpose}`, { seq })];
    if (acknowledged !== undefined) parts.push(t('auditDetail.acknowledgedOn', { day: acknowledged }));
    if (feedback !== undefined) parts.push(t('auditDetail.feedbackOn', { day: feedback }));
    return parts.join(', ');
  },
  'case.note-added': (d) => withCount(d, 'seq', (seq) => t('auditDetail.note', { seq })),
  'case.attachment-downloaded': (d) => withText(d, 'attachment', (attachment) => t('auditDetail.attachment', { attachment })),
  'case.exported': (d) => {
    const [files, attachments] = [count(d, 'files'), count(d, 'attachments')];
    if (files === undefined || attachments === undefined) return undefined;
    return t('auditDetail.exported', { files, attachments });
  },
  'case.deleted': (d) => withText(d, 'reason', (reason) => t('auditDetail.reason', { reason })),
  'cases.purged': (d) => {
    const [cases, closedBefore, retentionDays] = [count(d, 'cases'), text(d, 'closedBefore'), count(d, 'retentionDays')];
    if (cases === undefined || closedBefore === undefined || retentionDays === undefined) return undefined;
    return t('auditDetail.purged', { cases, closedBefore, retentionDays });
  },
  'audit.verified': () => undefined,
};

function withText(details: Details, key: string, sentence: (value: string) => string): string | undefined {
  const value = text(details, key);
  return value === undefined ? undefined : sentence(value);
}

function withCount(details: Details, key: string, sentence: (value: number) => string): string | undefined {
  const value = count(details, key);
  return value === undefined ? undefined : sentence(value);
}

/** The details of an entry as words: a sentence for a known action, else "key: value" text; empty when there are none. */
export function auditDetailsText(action: string, details: Details): string {
  if (Object.keys(details).length === 0) return '';
  const sentence = ACTIONS.has(action) ? DETAILS[action as AuditAction](details) : undefined;
  return sentence ?? keyValueText(details);
}
