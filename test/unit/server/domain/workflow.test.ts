import { describe, expect, it } from 'vitest';
import type { Day } from '../../../../server/clock';
import { planReplyEffects, planWorkflowChange } from '../../../../server/domain/workflow';
import type { CaseRecord } from '../../../../server/storage/cases-repository';

const day = (text: string) => text as Day;
const today = day('2026-11-25');

function caseRecord(changes: Partial<CaseRecord> = {}): CaseRecord {
  return {
    id: 'a'.repeat(64),
    bodyId: 'a-body',
    authPublicKey: new Uint8Array(32),
    replyPublicKey: new Uint8Array(32),
    receivedOn: day('2026-11-22'),
    status: 'received',
    outcome: null,
    acknowledgedOn: null,
    closedOn: null,
    priority: 'normal',
    assigneeId: null,
    feedbackOn: null,
    ...changes,
  };
}

describe('what a reply changes (EU Directive 2019/1937 art. 9(1)(b), (f))', () => {
  it('when a plain message is the case’s first reply, then nothing changes: no acknowledgment, no feedback', () => {
    expect(planReplyEffects(caseRecord(), undefined, today)).toEqual({});
    expect(planReplyEffects(caseRecord({ status: 'acknowledged', acknowledgedOn: day('2026-11-23') }), undefined, today)).toEqual({});
  });

  it('when a reply is declared the acknowledgment, then the case is acknowledged that day', () => {
    expect(planReplyEffects(caseRecord(), 'acknowledgment', today)).toEqual({ status: 'acknowledged', acknowledgedOn: today });
  });

  it('when an acknowledgment comes after one was recorded, then the first day stands', () => {
    expect(planReplyEffects(caseRecord({ status: 'acknowledged', acknowledgedOn: day('2026-11-23') }), 'acknowledgment', today)).toEqual({});
  });

  it('when a case moved on without its acknowledgment, then an acknowledgment records the day and keeps the status', () => {
    expect(planReplyEffects(caseRecord({ status: 'in-assessment' }), 'acknowledgment', today)).toEqual({ acknowledgedOn: today });
  });

  it('when a reply is declared the feedback, then the feedback day is recorded, and the first one stands', () => {
    const acknowledged = caseRecord({ status: 'in-assessment', acknowledgedOn: day('2026-11-23') });
    expect(planReplyEffects(acknowledged, 'feedback', today)).toEqual({ feedbackOn: today });
    expect(planReplyEffects({ ...acknowledged, feedbackOn: day('2026-11-24') }, 'feedback', today)).toEqual({});
  });

  it('when the feedback comes before any acknowledgment, then it acknowledges the case too', () => {
    expect(planReplyEffects(caseRecord(), 'feedback', today)).toEqual({ status: 'acknowledged', acknowledgedOn: today, feedbackOn: today });
  });

  it('when a closed case gets the feedback, then its status stays closed', () => {
    const closed = caseRecord({ status: 'closed', outcome: 'referred', acknowledgedOn: day('2026-11-23'), closedOn: day('2026-11-24') });
    expect(planReplyEffects(closed, 'feedback', today)).toEqual({ feedbackOn: today });
  });
});

describe('workflow changes', () => {
  it('when a status moves forward, then it is allowed, and going back is refused', () => {
    expect(planWorkflowChange(caseRecord({ status: 'acknowledged', acknowledgedOn: day('2026-11-23') }), { status: 'in-assessment' }, today)).toEqual({ status: 'in-assessment' });
    expect(() => planWorkflowChange(caseRecord({ status: 'in-assessment', acknowledgedOn: day('2026-11-23') }), { status: 'acknowledged' }, today)).toThrow(/cannot go back/);
  });

  it('when a change sets no status, then only what it names changes', () => {
    expect(planWorkflowChange(caseRecord({ status: 'acknowledged', acknowledgedOn: day('2026-11-23') }), { priority: 'high' }, today)).toEqual({ priority: 'high' });
  });
});
