/** Status and outcome, priority, assignee and labels of a case, changed together with one PATCH. */
import { useEffect, useState } from 'preact/hooks';
import { updateCase } from '../api/cases-api';
import { CASE_OUTCOMES, CASE_PRIORITIES, type CaseOutcome, type CasePriority, type CaseStatus } from '../../../protocol/case-workflow';
import type { CaseSummary } from '../../../protocol/console-api/index';
import { t, type StringKey } from '../strings';
import { ErrorMessage } from '../ui/error-message';
import { SubmitActions } from '../ui/submit-actions';
import { useAction } from '../ui/use-action';
import { useServices } from '../ui/services';
import { parseLabels, reachableStatuses, workflowFormOf, workflowPatch, type WorkflowProblem } from '../workflow';

export interface Assignable {
  readonly id: string;
  readonly username: string;
}

const PROBLEM_TEXT: Record<WorkflowProblem, StringKey> = {
  'outcome-required': 'workflow.outcomeRequired',
  'status-not-allowed': 'workflow.statusNotAllowed',
  'nothing-changed': 'workflow.nothingChanged',
};

export function WorkflowForm(props: { summary: CaseSummary; assignable: readonly Assignable[]; onSaved: (summary: CaseSummary) => Promise<void> }) {
  const { http } = useServices();
  const [form, setForm] = useState(workflowFormOf(props.summary));
  const [labelsText, setLabelsText] = useState(props.summary.labels.join(', '));
  const [saved, setSaved] = useState(false);
  const action = useAction();

  useEffect(() => {
    setForm(workflowFormOf(props.summary));
    setLabelsText(props.summary.labels.join(', '));
  }, [props.summary]);

  const submit = (event: Event) => {
    event.preventDefault();
    setSaved(false);
    const labels = parseLabels(labelsText);
    if (labels.problem !== null) {
      action.fail(labels.problem.kind === 'too-many' ? t('workflow.tooManyLabels') : t('workflow.badLabel', { label: labels.problem.label }));
      return;
    }
    const result = workflowPatch(props.summary, { ...form, labels: labels.labels });
    if ('problem' in result) {
      action.fail(t(PROBLEM_TEXT[result.problem]));
      return;
    }
    void action.run(async () => {
      await props.onSaved(await updateCase(http, props.summary.id, result.patch));
      setSaved(true);
    });
  };

  // The current assignee stays choosable even when no longer in the body's list.
  const assignable = [...props.assignable];
  if (props.summary.assignee !== null && !assignable.some((person) => person.id === props.summary.assignee?.id)) assignable.push(props.summary.assignee);

  return (
    <form onSubmit={submit} aria-labelledby="workflow-heading" class="workflow">
      <h2 id="workflow-heading">{t('workflow.heading')}</h2>
      <label for="workflow-status">{t('workflow.status')}</label>
      <select id="workflow-status" value={form.status} onChange={(e) => setForm({ ...form, status: e.currentTarget.value as CaseStatus })}>
        {reachableStatuses(props.summary.status).map((status) => (
          <option key={status} value={status}>
            {t(`status.${status}`)}
          </option>
        ))}
      </select>
      {form.status === 'closed' && (
        <>
          <label for="workflow-outcome">{t('workflow.outcome')}</label>
          <select id="workflow-outcome" value={form.outcome} onChange={(e) => setForm({ ...form, outcome: e.currentTarget.value as CaseOutcome | '' })}>
            <option value="">{t('workflow.chooseOutcome')}</option>
            {CASE_OUTCOMES.map((outcome) => (
              <option key={outcome} value={outcome}>
                {t(`outcome.${outcome}`)}
              </option>
            ))}
          </select>
        </>
      )}
      <label for="workflow-priority">{t('workflow.priority')}</label>
      <select id="workflow-priority" value={form.priority} onChange={(e) => setForm({ ...form, priority: e.currentTarget.value as CasePriority })}>
        {CASE_PRIORITIES.map((priority) => (
          <option key={priority} value={priority}>
            {t(`priority.${priority}`)}
          </option>
        ))}
      </select>
      <label for="workflow-assignee">{t('workflow.assignee')}</label>
      <select id="workflow-assignee" value={form.assigneeId} onChange={(e) => setForm({ ...form, assigneeId: e.currentTarget.value })}>
        <option value="">{t('cases.unassigned')}</option>
        {assignable.map((person) => (
          <option key={person.id} value={person.id}>
            {person.username}
          </option>
        ))}
      </select>
      <label for="workflow-labels">{t('workflow.labels')}</label>
      <p id="labels-help" class="help">
        {t('workflow.labelsHelp')}
      </p>
      <input id="workflow-labels" autocomplete="off" aria-describedby="labels-help" value={labelsText} onInput={(e) => setLabelsText(e.currentTarget.value)} />
      <ErrorMessage error={action.error} />
      {saved && <p role="status">{t('workflow.saved')}</p>}
      <SubmitActions label={t('workflow.save')} disabled={action.busy} />
    </form>
  );
}
