/**
 * The decrypted report: the reporter's answers, and its files (and any nothing names), decrypted on
 * download and checked against the digest the reporter signed for each.
 */
import { useState } from 'preact/hooks';
import { attachmentStream } from '../api/cases-api';
import type { CaseDetailAnswer } from '../../../protocol/console-api/index';
import type { Questionnaire } from '../../../protocol/questionnaire';
import type { FollowupFile } from '../../../protocol/followup-document';
import type { FileCleaning } from '../../../protocol/report-document';
import { decryptAttachmentToBlob } from '../case-crypto';
import type { CaseEntry, FileCheck } from '../case-reading';
import { labelledAnswers, type ReportDocument } from '../report-document';
import { t, type StringKey } from '../strings';
import { saveBlob } from '../ui/save-file';
import { useServices } from '../ui/services';
import { useAction } from '../ui/use-action';
import { FileViewer } from '../viewer/file-viewer';
import { cleaningSentence } from './file-cleaning';

export interface CaseFile {
  readonly id: string;
  /** From the report document or the follow-up that sent it; null for a file sent with a version 1 follow-up. */
  readonly name: string | null;
  /** The media type the reporter's browser claimed; only ever lets the viewer show text (viewer/file-kind.ts). */
  readonly type: string | null;
  readonly size: number;
  readonly createdOn: string;
  /** What the reporter's browser did to the file, as its report or follow-up says; null when it does not say. */
  readonly cleaning: FileCleaning | null;
}

/** What a report's or follow-up's file entry says about cleaning; versions before the field say nothing. */
function cleaningOf(entry: object | undefined): FileCleaning | null {
  return entry !== undefined && 'cleaning' in entry ? (entry.cleaning as FileCleaning | undefined) ?? null : null;
}

/**
 * The stored files the report names, with their names, and those nothing names (sent with a version
 * 1 follow-up). A file a follow-up names is shown under that follow-up (followupFiles), not here.
 */
export function caseFiles(detail: Pick<CaseDetailAnswer, 'attachments'>, report: ReportDocument | null, entries: readonly CaseEntry[] = []): CaseFile[] {
  const named = new Map((report?.attachments ?? []).map((file) => [file.id, file]));
  const inFollowups = new Set(entries.flatMap((entry) => ('files' in entry ? entry.files.map((file) => file.attachmentId) : [])));
  return detail.attachments
    .filter((file) => named.has(file.id) || !inFollowups.has(file.id))
    .map((file) => {
      const entry = named.get(file.id);
      return { id: file.id, name: entry?.name ?? null, type: entry?.type ?? null, size: file.size, createdOn: file.createdOn, cleaning: cleaningOf(entry) };
    });
}

/** The files a follow-up names: each stored one with its name, or only its name if it never arrived. */
export function followupFiles(detail: Pick<CaseDetailAnswer, 'attachments'>, files: readonly FollowupFile[]): ({ readonly stored: CaseFile } | { readonly missing: string })[] {
  const stored = new Map(detail.attachments.map((file) => [file.id, file]));
  return files.map((file) => {
    const found = stored.get(file.attachmentId);
    return found === undefined ? { missing: file.name } : { stored: { id: found.id, name: file.name, type: file.type, size: found.size, createdOn: found.createdOn, cleaning: cleaningOf(file) } };
  });
}

function formatBytes(bytes: number): string {
  if (bytes < 1024) return t('size.bytes', { count: bytes });
  if (bytes < 1024 * 1024) return t('size.kib', { count: (bytes / 1024).toFixed(1) });
  return t('size.mib', { count: (bytes / 1024 / 1024).toFixed(1) });
}

const UNVERIFIABLE: Readonly<Record<Extract<FileCheck, { kind: 'unverifiable' }>['reason'], StringKey>> = {
  'older-case': 'file.unverifiableOlder',
  'not-signed': 'file.unverifiableUnsigned',
};

/** How a file is checked: by `fileCheckOf` the case's reading. */
export type CheckFile = (attachmentId: string) => FileCheck;

export function FileRow(props: { caseId: string; file: CaseFile; check: CheckFile }) {
  const { http, keyring } = useServices();
  const [done, setDone] = useState(false);
  const [pending, setPending] = useState<'save' | 'view' | null>(null);
  // The decrypted file while the viewer is open; closing it drops the only reference.
  const [viewing, setViewing] = useState<Blob | null>(null);
  const action = useAction();
  const name = props.file.name ?? t('report.unnamedFile', { id: props.file.id.slice(0, 8) });
  const check = props.check(props.file.id);
  // Saving and viewing decrypt alike: a file whose digest is not the signed one is refused by both.
  const decrypt = async () => {
    const expected = check.kind === 'digest' ? check.blockSha256 : null;
    return decryptAttachmentToBlob(await attachmentStream(http, props.caseId, props.file.id), keyring.keys, props.caseId, props.file.id, expected);
  };
  const run = (what: 'save' | 'view', work: () => Promise<void>) =>
    void action.run(async () => {
      setPending(what);
      setDone(false);
      setViewing(null);
      try {
        await work();
      } finally {
        setPending(null);
      }
    });
  const download = () => run('save', async () => {
    saveBlob(await decrypt(), name);
    setDone(true);
  });
  const view = () => run('view', async () => setViewing(await decrypt()));
  return (
    <li data-file-check={check.kind === 'digest' ? 'signed' : 'unverifiable'}>
      <span class="file-name">{name}</span> <span class="help">{t('report.fileFacts', { size: formatBytes(props.file.size), day: props.file.createdOn })}</span>{' '}
      {check.kind === 'unverifiable' && <span class={check.reason === 'not-signed' ? 'warning' : 'help'}>{t(UNVERIFIABLE[check.reason])} </span>}
      {props.file.cleaning !== null && (
        <span class="help" data-testid="file-cleaning">
          {cleaningSentence(props.file.cleaning)}{' '}
        </span>
      )}
      <button type="button" disabled={action.busy} onClick={view} aria-label={pending === 'view' ? undefined : t('report.viewNamed', { name })}>
        {pending === 'view' ? t('report.decrypting') : t('report.view')}
      </button>{' '}
      <button type="button" disabled={action.busy} onClick={download} aria-label={pending === 'save' ? undefined : t('report.downloadNamed', { name })}>
        {pending === 'save' ? t('report.decrypting') : t('report.download')}
      </button>
      {done && <span role="status"> {t('report.saved')}</span>}
      {action.error && (
        <span class="error" role="alert" data-testid="file-error">
          {' '}
          {action.error}
        </span>
      )}
      {viewing !== null && <FileViewer file={viewing} claimed={{ name: props.file.name, type: props.file.type }} name={name} onClose={() => setViewing(null)} />}
    </li>
  );
}

/** Why the report is not shown: it does not verify (someone other than the reporter wrote it), or it does not open. */
function reportFailureText(failure: string | null): string {
  if (failure === 'signature-invalid' || failure === 'signed-message-invalid') return t('report.forged');
  return t('report.unreadable', { code: failure ?? 'missing' });
}

export function ReportView(props: { caseId: string; report: ReportDocument | null; reportFailure: string | null; files: readonly CaseFile[]; check: CheckFile; questionnaire: Questionnaire | null }) {
  return (
    <section aria-labelledby="report-heading">
      <h2 id="report-heading">{t('report.heading')}</h2>
      {props.report === null ? (
        <p class="error" role="alert">
          {reportFailureText(props.reportFailure)}
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
        <ul class="files" data-testid="report-files">
          {props.files.map((file) => (
            <FileRow key={file.id} caseId={props.caseId} file={file} check={props.check} />
          ))}
        </ul>
      )}
    </section>
  );
}
