/** The decrypted report: the reporter's answers, and every file of the case, decrypted on download. */
import { useState } from 'preact/hooks';
import { attachmentStream } from '../api/cases-api';
import type { CaseDetailAnswer } from '../../../protocol/console-api/index';
import type { Questionnaire } from '../../../protocol/questionnaire';
import { decryptAttachmentToBlob } from '../case-crypto';
import { labelledAnswers, type ReportDocument } from '../report-document';
import { t } from '../strings';
import { saveBlob } from '../ui/save-file';
import { useServices } from '../ui/services';
import { useAction } from '../ui/use-action';

export interface CaseFile {
  readonly id: string;
  /** From the report document; files added later with a follow-up carry no name. */
  readonly name: string | null;
  readonly size: number;
  readonly createdOn: string;
}

/** The stored files with the names the report gives them. */
export function caseFiles(detail: Pick<CaseDetailAnswer, 'attachments'>, report: ReportDocument | null): CaseFile[] {
  const named = new Map((report?.attachments ?? []).map((file) => [file.id, file.name]));
  return detail.attachments.map((file) => ({ id: file.id, name: named.get(file.id) ?? null, size: file.size, createdOn: file.createdOn }));
}

function formatBytes(bytes: number): string {
  if (bytes < 1024) return t('size.bytes', { count: bytes });
  if (bytes < 1024 * 1024) return t('size.kib', { count: (bytes / 1024).toFixed(1) });
  return t('size.mib', { count: (bytes / 1024 / 1024).toFixed(1) });
}

function FileRow(props: { caseId: string; file: CaseFile }) {
  const { http, keyring } = useServices();
  const [done, setDone] = useState(false);
  const action = useAction();
  const name = props.file.name ?? t('report.unnamedFile', { id: props.file.id.slice(0, 8) });
  const download = () =>
    void action.run(async () => {
      setDone(false);
      const blob = await decryptAttachmentToBlob(await attachmentStream(http, props.caseId, props.file.id), keyring.keys, props.caseId, props.file.id);
      saveBlob(blob, name);
      setDone(true);
    });
  return (
    <li>
      <span class="file-name">{name}</span> <span class="help">{t('report.fileFacts', { size: formatBytes(props.file.size), day: props.file.createdOn })}</span>{' '}
      <button type="button" disabled={action.busy} onClick={download} aria-label={action.busy ? undefined : t('report.downloadNamed', { name })}>
        {action.busy ? t('report.decrypting') : t('report.download')}
      </button>
      {done && <span role="status"> {t('report.saved')}</span>}
      {action.error && (
        <span class="error" role="alert">
          {' '}
          {action.error}
        </span>
      )}
    </li>
  );
}

export function ReportView(props: { caseId: string; report: ReportDocument | null; reportFailure: string | null; files: readonly CaseFile[]; questionnaire: Questionnaire | null }) {
  return (
    <section aria-labelledby="report-heading">
      <h2 id="report-heading">{t('report.heading')}</h2>
      {props.report === null ? (
        <p class="error" role="alert">
          {t('report.unreadable', { code: props.reportFailure ?? 'missing' })}
        </p>
      ) : (
        <dl class="answers" data-testid="report-answers">
          {labelledAnswers(props.report.answers, props.questionnaire).map(({ id, question, answer }) => (
            <div key={id}>
              <dt>{question}</dt>
              <dd>{answer}</dd>
            </div>
          ))}
        </dl>
      )}
      <h3>{t('report.files')}</h3>
      {props.files.length === 0 ? (
        <p>{t('report.noFiles')}</p>
      ) : (
        <ul class="files">
          {props.files.map((file) => (
            <FileRow key={file.id} caseId={props.caseId} file={file} />
          ))}
        </ul>
      )}
    </section>
  );
}
