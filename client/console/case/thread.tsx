/**
 * What was written after the report, in order: the reporter's follow-ups, replies sent, private notes;
 * each marked with who vouches for it (`data-authenticity`), and warned about when no one does.
 */
import type { CaseDetailAnswer } from '../../../protocol/console-api/index';
import type { CaseEntry, CaseSignature } from '../case-reading';
import { t, type StringKey } from '../strings';
import { FileRow, followupFiles, type CheckFile } from './report-view';

/** What the thread shows of each entry's authenticity; `unreadable` for what could not be read at all. */
export type ShownAuthenticity = 'signed' | 'unsigned' | 'forged' | 'unchecked' | 'unreadable';

/** The words under an entry's heading, and whether they warn. */
interface AuthenticityNote {
  readonly shown: ShownAuthenticity;
  readonly text: string | null;
  readonly warn: boolean;
}

function followupNote(entry: Extract<CaseEntry, { kind: 'followup' }> | Extract<CaseEntry, { failure: string }>, signature: CaseSignature): AuthenticityNote {
  if ('failure' in entry) {
    if (entry.failure === 'signature-invalid' || entry.failure === 'signed-message-invalid') return { shown: 'forged', text: t('authenticity.followupForged'), warn: true };
    return { shown: 'unreadable', text: null, warn: false };
  }
  if (entry.authenticity === 'signed') return { shown: 'signed', text: t('authenticity.followupSigned'), warn: false };
  if (entry.authenticity === 'unchecked') return { shown: 'unchecked', text: t('authenticity.followupUnchecked'), warn: true };
  // Unsigned: a version 1 case's follow-ups all are; in a signed case, the reporter signs every one.
  return signature.kind === 'signed' ? { shown: 'unsigned', text: t('authenticity.followupUnsigned'), warn: true } : { shown: 'unsigned', text: t('authenticity.followupOlder'), warn: false };
}

function investigatorNote(
  entry: Extract<CaseEntry, { kind: 'reply-copy' | 'note' }> | Extract<CaseEntry, { failure: string }>,
  signature: CaseSignature,
  signerLabels: ReadonlyMap<string, string>,
): AuthenticityNote {
  if ('failure' in entry) return { shown: 'unreadable', text: null, warn: false };
  switch (entry.authenticity.kind) {
    case 'signed':
      return { shown: 'signed', text: t('authenticity.investigatorSigned', { label: signerLabels.get(entry.authenticity.signer.fingerprint) ?? entry.authenticity.signer.fingerprint }), warn: false };
    case 'unsigned':
      // The console signs every reply and note since protocol version 2: in a case sent since, an unsigned one is not from it.
      return { shown: 'unsigned', text: t(signature.kind === 'signed' ? 'authenticity.investigatorUnsignedInSigned' : 'authenticity.investigatorUnsigned'), warn: true };
    case 'forged':
      return { shown: 'forged', text: t('authenticity.investigatorForged'), warn: true };
    case 'unchecked':
      return { shown: 'unchecked', text: t('authenticity.investigatorUnchecked'), warn: true };
  }
}

function noteOf(entry: CaseEntry, signature: CaseSignature, signerLabels: ReadonlyMap<string, string>): AuthenticityNote {
  if (entry.kind === 'followup') return followupNote(entry, signature);
  if (entry.kind === 'reply-copy' || entry.kind === 'note') return investigatorNote(entry, signature, signerLabels);
  return { shown: 'unreadable', text: null, warn: false };
}

/** The files sent with a follow-up, under it, each saved under its name. */
function FollowupFiles(props: { caseId: string; detail: Pick<CaseDetailAnswer, 'attachments'>; entry: CaseEntry; check: CheckFile }) {
  if (!('files' in props.entry) || props.entry.files.length === 0) return null;
  return (
    <ul class="files" data-testid="followup-files">
      {followupFiles(props.detail, props.entry.files).map((file, index) =>
        'stored' in file ? (
          <FileRow key={file.stored.id} caseId={props.caseId} file={file.stored} check={props.check} />
        ) : (
          <li key={`missing-${index}`}>{t('thread.fileMissing', { name: file.missing })}</li>
        ),
      )}
    </ul>
  );
}

export function Thread(props: {
  caseId: string;
  detail: Pick<CaseDetailAnswer, 'attachments'>;
  entries: readonly CaseEntry[];
  signature: CaseSignature;
  /** Directory labels of the body's investigators, by fingerprint: who signed each reply and note. */
  signerLabels: ReadonlyMap<string, string>;
  check: CheckFile;
}) {
  const messages = props.entries.filter((entry) => entry.kind !== 'report');
  return (
    <section aria-labelledby="thread-heading">
      <h2 id="thread-heading">{t('thread.heading')}</h2>
      {messages.length === 0 ? (
        <p>{t('thread.empty')}</p>
      ) : (
        <ol class="messages" data-testid="thread">
          {messages.map((entry) => {
            const note = noteOf(entry, props.signature, props.signerLabels);
            return (
              <li key={entry.seq} class={`message ${entry.kind}`} data-authenticity={note.shown}>
                <p class="date">
                  <strong>{t(`thread.${entry.kind}` as StringKey)}</strong> · {entry.createdOn}
                  {'purpose' in entry && entry.purpose !== undefined && (
                    <>
                      {' · '}
                      <span data-testid="reply-purpose">{t(`thread.purpose.${entry.purpose}`)}</span>
                    </>
                  )}
                </p>
                {note.text !== null && <p class={note.warn ? 'warning authenticity' : 'help authenticity'}>{note.text}</p>}
                {'text' in entry ? (
                  <>
                    {entry.text !== '' && <p class="text">{entry.text}</p>}
                    <FollowupFiles caseId={props.caseId} detail={props.detail} entry={entry} check={props.check} />
                  </>
                ) : (
                  note.shown === 'unreadable' && <p class="error">{t('thread.unreadable', { code: 'failure' in entry ? entry.failure : '' })}</p>
                )}
              </li>
            );
          })}
        </ol>
      )}
    </section>
  );
}
