/** A case's workflow facts: status, priority, assignment, labels and the reporter-facing deadlines. */
import type { CaseSummary } from '../../../protocol/console-api/index';
import { t } from '../strings';
import { DueMarker, statusText } from './markers';

/** A term and its value; a day is marked up as one (`<time datetime>`), so tests and tools read it exactly. */
function Fact(props: { term: string; value: string | null; testId?: string; isDay?: boolean }) {
  if (props.value === null) return null;
  return (
    <div>
      <dt>{props.term}</dt>
      <dd data-testid={props.testId}>{props.isDay === true ? <time dateTime={props.value}>{props.value}</time> : props.value}</dd>
    </div>
  );
}

export function CaseFacts(props: { summary: CaseSummary; bodyName: string }) {
  const { summary } = props;
  return (
    <>
      <dl class="facts">
        <Fact term={t('case.id')} value={summary.id} />
        <Fact term={t('case.body')} value={props.bodyName} />
        <Fact term={t('case.received')} value={summary.receivedOn} />
        <Fact term={t('case.status')} value={statusText(summary)} testId="case-status" />
        <Fact term={t('case.priority')} value={t(`priority.${summary.priority}`)} testId="case-priority" />
        <Fact term={t('case.assignee')} value={summary.assignee?.username ?? t('cases.unassigned')} testId="case-assignee" />
        <Fact term={t('case.labels')} value={summary.labels.length === 0 ? t('case.noLabels') : summary.labels.join(', ')} testId="case-labels" />
        {/* The reporter's page shows the same two facts from the same days (client/intake/pages/check-case.tsx). */}
        <Fact term={summary.acknowledgedOn === null ? t('case.acknowledgeDue') : t('case.acknowledged')} value={summary.acknowledgedOn ?? summary.acknowledgeDueOn} testId="case-acknowledgment" isDay />
        <Fact term={summary.feedbackOn === null ? t('case.feedbackDue') : t('case.feedback')} value={summary.feedbackOn ?? summary.feedbackDueOn} testId="case-feedback" isDay />
        <Fact term={t('case.closed')} value={summary.closedOn} />
      </dl>
      <DueMarker summary={summary} />
    </>
  );
}
