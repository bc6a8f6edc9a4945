/** What was written after the report, in order: the reporter's follow-ups, replies sent, private notes. */
import type { CaseDetailAnswer } from '../../../protocol/console-api/index';
import type { CaseEntry } from '../case-crypto';
import { t, type StringKey } from '../strings';
import { FileRow, followupFiles } from './report-view';

/** The files sent with a follow-up, under it, each saved under its name. */
function FollowupFiles(props: { caseId: string; detail: Pick<CaseDetailAnswer, 'attachments'>; entry: CaseEntry }) {
  if (!('files' in props.entry) || props.entry.files.length === 0) return null;
  return (
    <ul class="files" data-testid="followup-files">
      {followupFiles(props.detail, props.entry.files).map((file, index) =>
        'stored' in file ? <FileRow key={file.stored.id} caseId={props.caseId} file={file.stored} /> : <li key={`missing-${index}`}>{t('thread.fileMissing', { name: file.missing })}</li>,
      )}
    </ul>
  );
}

export function Thread(props: { caseId: string; detail: Pick<CaseDetailAnswer, 'attachments'>; entries: readonly CaseEntry[] }) {
  const messages = props.entries.filter((entry) => entry.kind !== 'report');
  return (
    <section aria-labelledby="thread-heading">
      <h2 id="thread-heading">{t('thread.heading')}</h2>
      {messages.length === 0 ? (
        <p>{t('thread.empty')}</p>
      ) : (
        <ol class="messages" data-testid="thread">
          {messages.map((entry) => (
            <li key={entry.seq} class={`message ${entry.kind}`}>
              <p class="date">
                <strong>{t(`thread.${entry.kind}` as StringKey)}</strong> · {entry.createdOn}
              </p>
              {'text' in entry ? (
                <>
                  {entry.text !== '' && <p class="text">{entry.text}</p>}
                  <FollowupFiles caseId={props.caseId} detail={props.detail} entry={entry} />
                </>
              ) : (
                <p class="error">{t('thread.unreadable', { code: 'failure' in entry ? entry.failure : '' })}</p>
              )}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
