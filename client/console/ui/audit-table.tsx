/** Audit entries as a table: when, who, what, and on which case. */
import type { AuditEntry } from '../../../protocol/console-api/index';
import { shortCaseId } from '../case/markers';
import { t } from '../strings';
import { auditActionText, auditDetailsText, auditTimeFormat, auditTimeText } from './audit-text';

export function AuditTable(props: { entries: readonly AuditEntry[]; showCase: boolean; caption: string }) {
  if (props.entries.length === 0) return <p>{t('audit.empty')}</p>;
  const timeFormat = auditTimeFormat();
  return (
    <table class="audit" data-testid="audit-table">
      <caption class="visually-hidden">{props.caption}</caption>
      <thead>
        <tr>
          <th scope="col">{t('audit.at')}</th>
          <th scope="col">{t('audit.actor')}</th>
          <th scope="col">{t('audit.action')}</th>
          {props.showCase && <th scope="col">{t('audit.case')}</th>}
          <th scope="col">{t('audit.details')}</th>
        </tr>
      </thead>
      <tbody>
        {props.entries.map((entry) => (
          <tr key={entry.seq}>
            <td>
              <time dateTime={entry.at}>{auditTimeText(entry.at, timeFormat)}</time>
            </td>
            <td>{entry.actor}</td>
            <td>{auditActionText(entry.action)}</td>
            {props.showCase && <td>{entry.caseId === null ? (entry.bodyId ?? '') : shortCaseId(entry.caseId)}</td>}
            <td class="details">{auditDetailsText(entry.action, entry.details)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
