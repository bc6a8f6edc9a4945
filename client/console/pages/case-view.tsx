/**
 * One case: decrypted in this tab (report, files, follow-ups, notes, replies), its workflow, replies
 * and notes encrypted here to the body's signed directory, the offline export, and its audit entries.
 */
import { useEffect, useState } from 'preact/hooks';
import { bodyDirectory, caseAudit, caseExportPath, fetchCase, fetchCaseObject, postNote, postReply } from '../api/cases-api';
import type { AuditEntry, CaseDetailAnswer, CaseSummary, SessionAccount } from '../../../protocol/console-api/index';
import { encryptNote, encryptReply, signingKeyFor } from '../case-crypto';
import { fileCheckOf, replyTarget, reportOf, writeRefusal, type CaseReading, type ReplyRefusal, type WriteRefusal } from '../case-reading';
import { DEFAULT_QUESTIONNAIRE } from '../../../protocol/default-questionnaire';
import { CaseAuthenticity } from '../case/case-authenticity';
import { CaseFacts } from '../case/case-facts';
import { ComposeForm, suggestedReplyChoice } from '../case/compose-form';
import { shortCaseId } from '../case/markers';
import { caseFiles, ReportView } from '../case/report-view';
import { Thread } from '../case/thread';
import { WorkflowForm, type Assignable } from '../case/workflow-form';
import { recipientLabels, verifyServedDirectory, type VerifiedBodyDirectory } from '../directory';
import { t, type StringKey } from '../strings';
import { AuditTable } from '../ui/audit-table';
import { ErrorMessage } from '../ui/error-message';
import { errorText } from '../ui/error-text';
import { PageHeading } from '../ui/page-heading';
import { useServices } from '../ui/services';
import { useAction } from '../ui/use-action';
import { summaryOf } from '../workflow';

interface Loaded {
  readonly detail: CaseDetailAnswer;
  readonly reading: CaseReading;
}

interface Directory {
  readonly verified: VerifiedBodyDirectory | null;
  readonly assignable: readonly Assignable[];
  /** Why nothing can be encrypted for this body, nor any investigator's signature checked, if so. */
  readonly problem: string | null;
}

const REFUSAL_TEXT: Readonly<Record<ReplyRefusal, StringKey>> = {
  'body-mismatch': 'reply.blockedBodyMismatch',
  'reply-key-mismatch': 'reply.blockedKeyMismatch',
  'report-unreadable': 'reply.blockedNoReport',
  'unsigned-refused': 'reply.blockedUnsignedRefused',
};

const WRITE_REFUSAL_TEXT: Readonly<Record<WriteRefusal, StringKey>> = {
  'body-mismatch': 'reply.blockedBodyMismatch',
  'report-unreadable': 'write.blockedNoReport',
  'directory-older-than-report': 'write.blockedOlderDirectory',
};

export function CaseView(props: { account: SessionAccount; caseId: string; onBack: () => void; onSummary: (summary: CaseSummary) => void }) {
  const { http, keyring, decrypted, directoryTrust } = useServices();
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [directory, setDirectory] = useState<Directory | null>(null);
  const [audit, setAudit] = useState<readonly AuditEntry[]>([]);
  const action = useAction();

  /** Reads the case, checking replies and notes against `shown`'s recipients. */
  const show = async (detail: CaseDetailAnswer, shown: Directory) => {
    const reading = await decrypted.read(detail, keyring.keys, (seq) => fetchCaseObject(http, detail.id, seq), shown.verified?.recipients ?? null);
    setLoaded({ detail, reading });
    setAudit(await caseAudit(http, props.caseId));
  };

  const reload = async (shown: Directory) => {
    const detail = await fetchCase(http, props.caseId);
    await show(detail, shown);
    return detail;
  };

  const loadDirectory = async (bodyId: string): Promise<Directory> => {
    const served = await bodyDirectory(http, bodyId);
    try {
      const verified = await verifyServedDirectory(bodyId, served, directoryTrust);
      // Only investigators whose current key the signed directory lists can open the case, so only
      // they are offered; the list is checked here, not taken from the server's word.
      const listed = new Set<string>(verified.recipients.map((recipient) => recipient.fingerprint));
      const assignable = served.investigators.filter((person) => listed.has(person.fingerprint)).map((person) => ({ id: person.accountId, username: person.username }));
      return { verified, assignable, problem: null };
    } catch (error) {
      return { verified: null, assignable: [], problem: errorText(error) };
    }
  };

  useEffect(() => {
    void action.run(async () => {
      const detail = await fetchCase(http, props.caseId);
      // Verified before anything is read: replies and notes are checked against its recipients.
      const shown = await loadDirectory(detail.bodyId);
      setDirectory(shown);
      await show(detail, shown);
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

  const { detail, reading } = loaded;
  const { entries } = reading;
  const report = reportOf(entries);
  const reportEntry = entries.find((entry) => entry.kind === 'report');
  const reportFailure = reportEntry !== undefined && 'failure' in reportEntry ? reportEntry.failure : null;
  const verified = directory?.verified ?? null;
  // The name the body signed; the server's word only while its directory is not verified.
  const bodyName = verified?.name ?? props.account.bodies.find((body) => body.id === detail.bodyId)?.name ?? detail.bodyId;
  const signingKey = verified === null ? null : signingKeyFor(keyring.keys, verified.recipients);
  const writeRefused = verified === null ? null : writeRefusal(reading.signature, detail, verified.serial);
  const cannotWrite =
    directory === null ? t('case.directoryLoading') : (directory.problem ?? (writeRefused !== null ? t(WRITE_REFUSAL_TEXT[writeRefused]) : signingKey === null ? t('compose.keyNotListed') : null));
  const unsignedCases = Object.hasOwn(directoryTrust.pins, detail.bodyId) && directoryTrust.pins[detail.bodyId]?.unsignedCases === true;
  const target = replyTarget(reading.signature, detail, unsignedCases);
  const cannotReply = cannotWrite ?? ('refused' in target ? t(REFUSAL_TEXT[target.refused]) : null);
  const writeContext = () => {
    if (verified === null || signingKey === null) throw new Error('no verified directory or signing key');
    return { caseId: detail.id, recipients: verified.recipients, signingKey };
  };
  const check = (attachmentId: string) => fileCheckOf(reading, attachmentId);
  const afterChange = async () => {
    // The list keeps summaries only: not the object index and files of every case opened.
    if (directory !== null) props.onSummary(summaryOf(await reload(directory)));
  };

  return (
    <article aria-labelledby="case-heading">
      {backButton}
      <PageHeading id="case-heading" title={t('cases.caseName', { id: shortCaseId(detail.id) })} />
      <ErrorMessage error={action.error} />
      <CaseAuthenticity signature={reading.signature} target={target} />
      <CaseFacts summary={detail} bodyName={bodyName} />
      <p>
        <a href={caseExportPath(detail.id)} download={`candor-case-${shortCaseId(detail.id)}.tar`}>
          {t('case.export')}
        </a>{' '}
        <span class="help">{t('case.exportHelp')}</span>
      </p>
      <ReportView
        caseId={detail.id}
        report={report}
        reportFailure={reportFailure}
        files={caseFiles(detail, report, entries)}
        check={check}
        questionnaire={verified === null ? null : (verified.questionnaire ?? DEFAULT_QUESTIONNAIRE)}
      />
      <Thread caseId={detail.id} detail={detail} entries={entries} signature={reading.signature} signerLabels={verified === null ? new Map() : recipientLabels(verified)} check={check} />
      <ComposeForm
        kind="reply"
        disabledReason={cannotReply}
        suggestedChoice={suggestedReplyChoice(detail)}
        onSend={async (text, purpose) => {
          // Sealed to the key the reporter's signed report names, never to one only the server names.
          if ('refused' in target) throw new Error(target.refused);
          // The purpose is signed inside the reply and declared beside it: the server sets the case's days from it.
          const encrypted = await encryptReply(text, { ...writeContext(), replyPublicKey: target.replyPublicKey, purpose });
          await postReply(http, detail.id, { ...encrypted, ...(purpose === undefined ? {} : { purpose }) });
          await afterChange();
        }}
      />
      <ComposeForm
        kind="note"
        disabledReason={cannotWrite}
        onSend={async (text) => {
          await postNote(http, detail.id, await encryptNote(text, writeContext()));
          await afterChange();
        }}
      />
      <WorkflowForm
        summary={detail}
        assignable={directory?.assignable ?? []}
        onSaved={async (summary) => {
          setLoaded({ detail: { ...detail, ...summary }, reading });
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
