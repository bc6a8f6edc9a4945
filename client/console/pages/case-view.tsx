/**
 * One case: decrypted in this tab (report, files, follow-ups, notes, replies), its workflow, replies
 * and notes encrypted here to the body's signed directory, the offline export, and its audit entries.
 */
import { useEffect, useState } from 'preact/hooks';
import type { RecipientKey } from '../../../crypto/index';
import { bodyDirectory, caseAudit, caseExportPath, fetchCase, fetchCaseObject, postNote, postReply } from '../api/cases-api';
import type { AuditEntry, CaseDetailAnswer, CaseSummary, SessionAccount } from '../../../protocol/console-api/index';
import { encryptNote, encryptReply, reportOf, type CaseEntry } from '../case-crypto';
import { CaseFacts } from '../case/case-facts';
import { ComposeForm } from '../case/compose-form';
import { shortCaseId } from '../case/markers';
import { caseFiles, ReportView } from '../case/report-view';
import { Thread } from '../case/thread';
import { WorkflowForm, type Assignable } from '../case/workflow-form';
import { verifyBodyDirectory } from '../directory';
import { t } from '../strings';
import { AuditTable } from '../ui/audit-table';
import { ErrorMessage } from '../ui/error-message';
import { errorText } from '../ui/error-text';
import { PageHeading } from '../ui/page-heading';
import { useServices } from '../ui/services';
import { useAction } from '../ui/use-action';
import { summaryOf } from '../workflow';

interface Loaded {
  readonly detail: CaseDetailAnswer;
  readonly entries: readonly CaseEntry[];
}

interface Directory {
  readonly recipients: readonly RecipientKey[] | null;
  readonly assignable: readonly Assignable[];
  /** Why nothing can be encrypted for this body, if so. */
  readonly problem: string | null;
}

export function CaseView(props: { account: SessionAccount; caseId: string; onBack: () => void; onSummary: (summary: CaseSummary) => void }) {
  const { http, keyring, decrypted, pinnedKeys } = useServices();
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [directory, setDirectory] = useState<Directory | null>(null);
  const [audit, setAudit] = useState<readonly AuditEntry[]>([]);
  const action = useAction();

  const reload = async () => {
    const detail = await fetchCase(http, props.caseId);
    setLoaded({ detail, entries: await decrypted.decrypt(detail, keyring.keys, (seq) => fetchCaseObject(http, detail.id, seq)) });
    setAudit(await caseAudit(http, props.caseId));
    return detail;
  };

  const loadDirectory = async (bodyId: string) => {
    const served = await bodyDirectory(http, bodyId);
    try {
      const verified = await verifyBodyDirectory(bodyId, served, pinnedKeys);
      // Only investigators whose current key the signed directory lists can open the case, so only
      // they are offered; the list is checked here, not taken from the server's word.
      const listed = new Set<string>(verified.recipients.map((recipient) => recipient.fingerprint));
      const assignable = served.investigators.filter((person) => listed.has(person.fingerprint)).map((person) => ({ id: person.accountId, username: person.username }));
      setDirectory({ recipients: verified.recipients, assignable, problem: null });
    } catch (error) {
      setDirectory({ recipients: null, assignable: [], problem: errorText(error) });
    }
  };

  useEffect(() => {
    void action.run(async () => {
      const detail = await reload();
      await loadDirectory(detail.bodyId);
    });
  }, [props.caseId]);

  const backButton = (
    <button type="button" class="link" onClick={props.onBack}>
      {t('case.back')}
    </button>
  );

  if (loaded === null) {
    return (
      <section aria-labelledby="case-heading">
        {backButton}
        <PageHeading id="case-heading" title={t('cases.caseName', { id: shortCaseId(props.caseId) })} />
        {action.error ? <ErrorMessage error={action.error} /> : <p role="status">{t('case.decrypting')}</p>}
      </section>
    );
  }

  const { detail, entries } = loaded;
  const report = reportOf(entries);
  const reportEntry = entries.find((entry) => entry.kind === 'report');
  const reportFailure = reportEntry !== undefined && 'failure' in reportEntry ? reportEntry.failure : null;
  const bodyName = props.account.bodies.find((body) => body.id === detail.bodyId)?.name ?? detail.bodyId;
  const cannotEncrypt = directory === null ? t('case.directoryLoading') : directory.problem;
  const recipients = () => {
    if (directory?.recipients == null) throw new Error('no verified directory');
    return directory.recipients;
  };
  const afterChange = async () => {
    // The list keeps summaries only: not the object index and files of every case opened.
    props.onSummary(summaryOf(await reload()));
  };

  return (
    <article aria-labelledby="case-heading">
      {backButton}
      <PageHeading id="case-heading" title={t('cases.caseName', { id: shortCaseId(detail.id) })} />
      <ErrorMessage error={action.error} />
      <CaseFacts summary={detail} bodyName={bodyName} />
      <p>
        <a href={caseExportPath(detail.id)} download={`candor-case-${shortCaseId(detail.id)}.tar`}>
          {t('case.export')}
        </a>{' '}
        <span class="help">{t('case.exportHelp')}</span>
      </p>
      <ReportView caseId={detail.id} report={report} reportFailure={reportFailure} files={caseFiles(detail, report, entries)} questionnaire={detail.questionnaire} />
      <Thread caseId={detail.id} detail={detail} entries={entries} />
      <ComposeForm
        kind="reply"
        disabledReason={cannotEncrypt}
        onSend={async (text) => {
          await postReply(http, detail.id, await encryptReply(text, { caseId: detail.id, replyPublicKey: detail.replyPublicKey, recipients: recipients() }));
          await afterChange();
        }}
      />
      <ComposeForm
        kind="note"
        disabledReason={cannotEncrypt}
        onSend={async (text) => {
          await postNote(http, detail.id, await encryptNote(text, { caseId: detail.id, recipients: recipients() }));
          await afterChange();
        }}
      />
      <WorkflowForm
        summary={detail}
        assignable={directory?.assignable ?? []}
        onSaved={async (summary) => {
          setLoaded({ detail: { ...detail, ...summary }, entries });
          props.onSummary(summary);
          setAudit(await caseAudit(http, detail.id));
        }}
      />
      <section aria-labelledby="case-audit-heading">
        <h2 id="case-audit-heading">{t('case.audit')}</h2>
        <AuditTable entries={audit} showCase={false} caption={t('case.audit')} />
      </section>
    </article>
  );
}
