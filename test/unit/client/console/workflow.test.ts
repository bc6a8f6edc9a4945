/** The workflow rules the console offers and the PATCH it sends. */
import { describe, expect, it } from 'vitest';
import type { CaseSummary } from '../../../../protocol/console-api/index';
import { deadlineMarker, parseLabels, reachableStatuses, summaryOf, workflowFormOf, workflowPatch } from '../../../../client/console/workflow';

const SUMMARY: CaseSummary = {
  id: 'c'.repeat(64),
  bodyId: 'body',
  receivedOn: '2026-11-01',
  status: 'acknowledged',
  outcome: null,
  priority: 'normal',
  assignee: { id: 'A'.repeat(22), username: 'alice' },
  labels: ['tender'],
  acknowledgedOn: '2026-11-03',
  feedbackOn: null,
  closedOn: null,
  acknowledgeDueOn: '2026-11-08',
  feedbackDueOn: '2027-02-03',
  due: null,
  replyPublicKey: 'k'.repeat(43),
};

describe('reachableStatuses', () => {
  it('when a case is acknowledged, then it may stay or move forward, skipping steps, but not back', () => {
    expect(reachableStatuses('acknowledged')).toEqual(['acknowledged', 'in-assessment', 'under-investigation', 'closed']);
  });

  it('when a case is closed, then it may only be reopened to assessment', () => {
    expect(reachableStatuses('closed')).toEqual(['closed', 'in-assessment']);
  });
});

describe('parseLabels', () => {
  it('when labels are typed with spaces and repeats, then they are trimmed and deduplicated', () => {
    expect(parseLabels(' tender ,  public   works,tender,, ')).toEqual({ labels: ['tender', 'public works'], problem: null });
  });

  it('when a label has a forbidden character, then it is named', () => {
    expect(parseLabels('ok, not/ok').problem).toEqual({ kind: 'invalid', label: 'not/ok' });
  });

  it('when a label is longer than 40 characters, then it is refused', () => {
    expect(parseLabels('x'.repeat(41)).problem).toEqual({ kind: 'invalid', label: 'x'.repeat(41) });
  });

  it('when there are more than 20 labels, then that is the problem', () => {
    expect(parseLabels(Array.from({ length: 21 }, (_, i) => `l${i}`).join(',')).problem).toEqual({ kind: 'too-many' });
  });

  it('when labels use letters of other scripts, then they are accepted', () => {
    expect(parseLabels('marchés publics, المشتريات').problem).toBeNull();
  });
});

describe('workflowPatch', () => {
  const form = workflowFormOf(SUMMARY);

  it('when nothing changed, then nothing is sent', () => {
    expect(workflowPatch(SUMMARY, form)).toEqual({ problem: 'nothing-changed' });
  });

  it('when several fields change, then only they are sent, and an empty assignee is null', () => {
    expect(workflowPatch(SUMMARY, { ...form, status: 'under-investigation', priority: 'high', assigneeId: '', labels: ['tender', 'roads'] })).toEqual({
      patch: { status: 'under-investigation', priority: 'high', assigneeId: null, labels: ['tender', 'roads'] },
    });
  });

  it('when labels are only reordered, then they are not sent', () => {
    const two = { ...SUMMARY, labels: ['a', 'b'] };
    expect(workflowPatch(two, { ...workflowFormOf(two), labels: ['b', 'a'] })).toEqual({ problem: 'nothing-changed' });
  });

  it('when a case is closed without an outcome, then the outcome is asked for', () => {
    expect(workflowPatch(SUMMARY, { ...form, status: 'closed' })).toEqual({ problem: 'outcome-required' });
  });

  it('when a case is closed with an outcome, then both are sent', () => {
    expect(workflowPatch(SUMMARY, { ...form, status: 'closed', outcome: 'referred' })).toEqual({ patch: { status: 'closed', outcome: 'referred' } });
  });

  it('when a status would move back, then it is refused before asking the server', () => {
    expect(workflowPatch(SUMMARY, { ...form, status: 'received' })).toEqual({ problem: 'status-not-allowed' });
  });
});

describe('deadlineMarker', () => {
  it('when no mark is due, then there is no marker', () => {
    expect(deadlineMarker(SUMMARY)).toBeNull();
  });

  it('when an unacknowledged case is overdue, then the acknowledgment deadline is meant', () => {
    expect(deadlineMarker({ ...SUMMARY, acknowledgedOn: null, due: 'overdue' })).toEqual({ mark: 'overdue', deadline: 'acknowledge', day: '2026-11-08' });
  });

  it('when an acknowledged case is due soon, then the feedback deadline is meant', () => {
    expect(deadlineMarker({ ...SUMMARY, due: 'soon' })).toEqual({ mark: 'soon', deadline: 'feedback', day: '2027-02-03' });
  });
});

describe('summaryOf', () => {
  it('when given a case answer with ciphertexts, then only the summary fields are kept', () => {
    const detail = { ...SUMMARY, objects: [{ seq: 1 }], attachments: [] };
    expect(summaryOf(detail)).toEqual(SUMMARY);
  });
});
