/** The audit log in words: every action has a name, its details a sentence, and nothing is shown as JSON. */
import { describe, expect, it } from 'vitest';
import { AUDIT_ACTIONS, type AuditAction, type AuditEntry } from '../../../../protocol/console-api/index';
import { auditActionText, auditDetailsText, auditTimeFormat, auditTimeText } from '../../../../client/console/ui/audit-text';

type Details = AuditEntry['details'];

/** Each action with the details the server records it with (server/console/services, server/operations), and the words shown. */
const EXAMPLES: Readonly<Record<AuditAction, readonly [name: string, details: Details, words: string]>> = {
  'account.created': ['Account created', { username: 'alice', role: 'investigator', bodies: 'audit-office ombudsman' }, 'Account alice, role investigator, bodies: audit-office, ombudsman'],
  'account.disabled': ['Account disabled', { username: 'alice' }, 'Account alice'],
  'account.password-changed': ['Password changed', {}, ''],
  'account.second-factor-reset': ['Second step reset', { username: 'alice' }, 'Account alice'],
  'account.totp-enrolled': ['Authenticator app added', {}, ''],
  'account.webauthn-registered': ['Security key added', {}, ''],
  'account.recovery-code-used': ['Recovery code used', { left: 7 }, 'Recovery codes left: 7'],
  'session.signed-in': ['Signed in', { factor: 'webauthn' }, 'With security key'],
  'session.sign-in-failed': ['Sign-in failed', { step: 'totp' }, 'Failed at: authenticator app'],
  'session.signed-out': ['Signed out', {}, ''],
  'key.added': ['Investigator key added', { fingerprint: 'ABCD1234' }, 'Key ABCD1234'],
  'key.retired': ['Investigator key retired', { fingerprint: 'ABCD1234' }, 'Key ABCD1234'],
  'body.created': ['Body created', { name: 'Audit Office' }, 'Name: Audit Office'],
  'directory.signed': ['Directory signed', { recipients: 'AAAA BBBB', signerKey: 'c2lnbmVy' }, 'Recipient keys: AAAA, BBBB; directory key: c2lnbmVy'],
  'body.retention-changed': ['Retention changed', { retentionDays: 365 }, 'Closed cases kept for 365 days'],
  'body.statistics-changed': ['Statistics publishing changed', { publish: true }, 'Statistics published'],
  'case.viewed': ['Case opened', {}, ''],
  'case.status-changed': ['Status changed', { from: 'received', to: 'acknowledged', outcome: null }, 'Status: Received → Acknowledged'],
  'case.assigned': ['Assignee changed', { to: 'alice' }, 'Assigned to alice'],
  'case.priority-changed': ['Priority changed', { from: 'normal', to: 'urgent' }, 'Priority: Normal → Urgent'],
  'case.labels-changed': ['Labels changed', { added: 2, removed: 0, labels: 3 }, 'Labels changed: 2 added, 0 removed'],
  'case.replied': ['Reply sent', { seq: 4 }, 'Message 4'],
  'case.note-added': ['Note added', { seq: 5 }, 'Note 5'],
  'case.attachment-downloaded': ['File downloaded', { attachment: 'att-1' }, 'File att-1'],
  'case.exported': ['Case exported', { files: 6, attachments: 2 }, 'Files: 6, attachments: 2'],
  'case.deleted': ['Case deleted', { reason: 'court order 12/2026' }, 'Reason: court order 12/2026'],
  'cases.purged': ['Closed cases purged', { cases: 3, closedBefore: '2025-04-01', retentionDays: 365 }, 'Cases removed: 3, closed before 2025-04-01, kept for 365 days'],
  'audit.verified': ['Audit log verified', {}, ''],
};

describe('audit entries in words', () => {
  it.each(AUDIT_ACTIONS.map((action) => [action, ...EXAMPLES[action]] as const))('when the action is %s, then it is named "%s" and its details read "%s"', (action, name, details, words) => {
    expect(auditActionText(action)).toBe(name);
    expect(auditDetailsText(action, details)).toBe(words);
  });

  it('when every action is named, then no two share a name', () => {
    const names = AUDIT_ACTIONS.map(auditActionText);
    expect(new Set(names).size).toBe(AUDIT_ACTIONS.length);
  });

  it('when a status change closes a case or corrects its outcome, then the outcome is in words', () => {
    expect(auditDetailsText('case.status-changed', { from: 'under-investigation', to: 'closed', outcome: 'not-substantiated' })).toBe(
      'Status: Under investigation → Closed, outcome: not substantiated',
    );
    expect(auditDetailsText('case.status-changed', { from: 'closed', to: 'closed', outcome: 'referred' })).toBe('Outcome corrected to referred');
  });

  it('when the other values of an action come, then they have their words too', () => {
    expect(auditDetailsText('case.assigned', { to: null })).toBe('Unassigned');
    expect(auditDetailsText('body.retention-changed', { retentionDays: null })).toBe('Closed cases kept for the configured default');
    expect(auditDetailsText('body.statistics-changed', { publish: false })).toBe('Statistics not published');
    expect(auditDetailsText('case.replied', { seq: 4, feedbackOn: '2026-03-02' })).toBe('Message 4, feedback given on 2026-03-02');
    expect(auditDetailsText('case.replied', { seq: 5, purpose: 'acknowledgment', acknowledgedOn: '2026-03-01' })).toBe('Message 5 sent as the acknowledgment of receipt, acknowledged on 2026-03-01');
    expect(auditDetailsText('case.replied', { seq: 6, purpose: 'feedback', feedbackOn: '2026-03-02' })).toBe('Message 6 sent as the feedback, feedback given on 2026-03-02');
    expect(auditDetailsText('case.replied', { seq: 7, purpose: 'feedback' })).toBe('Message 7 sent as the feedback');
    expect(auditDetailsText('account.created', { username: 'root', role: 'admin', bodies: '' })).toBe('Account root, role admin, bodies: none');
    expect(auditDetailsText('session.signed-in', { factor: 'recovery-code' })).toBe('With recovery code');
    expect(auditDetailsText('session.sign-in-failed', { step: 'password' })).toBe('Failed at: password');
  });

  it('when a labels entry is an older one naming the labels, then they are listed, and none says so', () => {
    expect(auditDetailsText('case.labels-changed', { labels: 'fraud, procurement' })).toBe('Labels: fraud, procurement');
    expect(auditDetailsText('case.labels-changed', { labels: '' })).toBe('Labels: none');
  });

  it('when an action or its details are not what this console knows, then they read as key: value, never JSON', () => {
    expect(auditActionText('case.teleported')).toBe('case.teleported');
    expect(auditDetailsText('case.teleported', { to: 'moon', far: true, days: 3, why: null })).toBe('to: moon; far: yes; days: 3; why: none');
    expect(auditDetailsText('case.status-changed', { from: 'received', to: 7 })).toBe('from: received; to: 7');
    expect(auditDetailsText('case.viewed', { via: 'search' })).toBe('via: search');
    expect(auditDetailsText('session.signed-in', { factor: 'carrier-pigeon' })).toBe('With carrier-pigeon');
    for (const action of [...AUDIT_ACTIONS, 'case.teleported']) {
      expect(auditDetailsText(action, { nested: 'x', count: 1 })).not.toMatch(/[{}"]/);
    }
  });

  it('when a time is shown, then it is in the given time zone, with the date', () => {
    const at = '2026-04-15T22:30:05.000Z';
    expect(auditTimeText(at, auditTimeFormat('en-GB', 'Europe/Berlin'))).toBe('16 Apr 2026, 00:30:05');
    expect(auditTimeText('not a time', auditTimeFormat('en-GB', 'UTC'))).toBe('not a time');
  });
});
