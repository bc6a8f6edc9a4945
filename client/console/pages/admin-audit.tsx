/** The whole audit log, newest first, a page at a time. */
import { useEffect, useState } from 'preact/hooks';
import { auditPage, AUDIT_PAGE_SIZE } from '../api/admin-api';
import type { AuditEntry } from '../../../protocol/console-api/index';
import { t } from '../strings';
import { AuditTable } from '../ui/audit-table';
import { ErrorMessage } from '../ui/error-message';
import { PageHeading } from '../ui/page-heading';
import { useServices } from '../ui/services';
import { useAction } from '../ui/use-action';

export function AdminAudit() {
  const { http } = useServices();
  const [entries, setEntries] = useState<readonly AuditEntry[]>([]);
  const [more, setMore] = useState(false);
  const action = useAction();

  const load = (beforeSeq: number | null) =>
    void action.run(async () => {
      const page = await auditPage(http, beforeSeq);
      setEntries((shown) => (beforeSeq === null ? page : [...shown, ...page]));
      setMore(page.length === AUDIT_PAGE_SIZE);
    });
  useEffect(() => load(null), []);

  return (
    <section aria-labelledby="audit-heading">
      <PageHeading id="audit-heading" title={t('audit.heading')} />
      <p class="help">{t('audit.explain')}</p>
      <ErrorMessage error={action.error} />
      <AuditTable entries={entries} showCase caption={t('audit.heading')} />
      {more && (
        <div class="actions">
          <button type="button" disabled={action.busy} onClick={() => load(entries.at(-1)?.seq ?? null)}>
            {t('audit.older')}
          </button>
        </div>
      )}
    </section>
  );
}
