/** Coming back with the token: status, dates, replies, what was sent; follow-ups and more files. */
import { useState } from 'preact/hooks';
import {
  CryptoError,
  deriveCaseKeys,
  encryptReport,
  newAttachmentId,
  openReply,
  parseCaseToken,
  sealReply,
  toBase64Url,
  utf8Decode,
  utf8Encode,
  wipeCaseKeys,
  type AttachmentId,
} from '../../../crypto/index';
import type { StatusPage } from '../../../protocol/intake-api';
import { followupDocumentJson } from '../../../protocol/followup-document';
import { parseReporterCopy } from '../../../protocol/reporter-copy';
import { ApiError, BAD_ANSWER, CaseSession, fetchBody, uploadAttachment } from '../api';
import { useFormatDay, useT } from '../i18n/context';
import type { MessageKey } from '../i18n/index';
import type { CleanedFile } from '../metadata/index';
import { recipientsFor } from '../submit';
import { FilePicker } from './files';

interface OpenedMessage {
  readonly seq: number;
  readonly createdOn: string;
  readonly text: string;
}

interface OpenedCase {
  readonly session: CaseSession;
  /** The last page: every page repeats the status fields. */
  readonly status: StatusPage;
  readonly replies: readonly OpenedMessage[];
  readonly sent: readonly OpenedMessage[];
}

/** A reporter copy as the reporter reads it: the report's answers, or a follow-up's text, and the names of the files sent with it. */
function describeCopy(plaintext: Uint8Array): string {
  const copy = parseReporterCopy(plaintext);
  const [text, names] = copy.kind === 'report' ? [Object.values(copy.document.answers).join('\n\n'), copy.document.attachments.map((file) => file.name)] : [copy.document.text, copy.document.files.map((file) => file.name)];
  return [text, ...names].filter((part) => part !== '').join('\n\n');
}

/** Far more pages than a case within the intake's limits has; a server that keeps paging is refused. */
const MAX_STATUS_PAGES = 64;

/** The status, then each message's bytes one by one: no answer grows with the case (issue 13). */
async function openCase(session: CaseSession): Promise<OpenedCase> {
  let status = await session.status();
  const entries = [...status.objects];
  for (let page = 1; status.nextAfter !== null; page++) {
    if (page >= MAX_STATUS_PAGES) throw new Error('The case lists more messages than it can hold.');
    status = await session.status(status.nextAfter);
    entries.push(...status.objects);
  }
  const replies: OpenedMessage[] = [];
  const sent: OpenedMessage[] = [];
  for (const entry of entries) {
    const plaintext = openReply(session.keys, await session.fetchObject(entry.seq), entry.kind);
    if (entry.kind === 'reply') replies.push({ seq: entry.seq, createdOn: entry.createdOn, text: utf8Decode(plaintext) });
    else sent.push({ seq: entry.seq, createdOn: entry.createdOn, text: describeCopy(plaintext) });
  }
  return { session, status, replies, sent };
}

export function CheckCase(props: { onLogout: () => void }) {
  const t = useT();
  const formatDay = useFormatDay();
  const [token, setToken] = useState('');
  const [error, setError] = useState<MessageKey | null>(null);
  const [opened, setOpened] = useState<OpenedCase | null>(null);
  const [busy, setBusy] = useState(false);
  const [followup, setFollowup] = useState('');
  const [files, setFiles] = useState<CleanedFile[]>([]);
  const [checkingFiles, setCheckingFiles] = useState(false);
  const [notice, setNotice] = useState<MessageKey | null>(null);

  const errorKey = (cause: unknown): MessageKey => {
    if (cause instanceof CryptoError && cause.code.startsWith('token-')) return `error.${cause.code}` as MessageKey;
    if (cause instanceof ApiError && cause.code === 'unauthorized') return 'error.unauthorized';
    if (cause instanceof ApiError && cause.code === 'rate-limited') return 'error.rate-limited';
    if (cause instanceof ApiError && cause.code === 'storage-full') return 'error.storage-full';
    if (cause instanceof ApiError && cause.code === 'limit-reached') return 'check.limitReached';
    if (cause instanceof ApiError && cause.code === BAD_ANSWER) return 'error.bad-answer';
    if (cause instanceof TypeError) return 'error.network';
    return 'error.generic';
  };

  const submitToken = async (event: Event) => {
    event.preventDefault();
    setError(null);
    let parsed;
    try {
      // Typos are caught here, before any request is made.
      parsed = parseCaseToken(token);
    } catch (cause) {
      setError(errorKey(cause));
      return;
    }
    setBusy(true);
    try {
      setOpened(await openCase(new CaseSession(await deriveCaseKeys(parsed))));
      setToken('');
    } catch (cause) {
      setError(errorKey(cause));
    } finally {
      setBusy(false);
    }
  };

  const send = async (event: Event) => {
    event.preventDefault();
    if (opened === null) return;
    setBusy(true);
    setNotice(null);
    try {
      const recipients = await recipientsFor(await fetchBody(opened.status.bodyId));
      const { session } = opened;
      // As for a report, the files' ids are chosen first, so that the follow-up can name them (docs/protocol.md §7.1).
      const named = files.map(({ original, file }) => ({ attachmentId: newAttachmentId(), name: original.name, type: original.type, size: file.size }));
      if (followup.trim() !== '' || named.length > 0) {
        const json = followupDocumentJson(followup.trim() === '' ? '' : followup, named);
        const message = await encryptReport(json, recipients, { caseId: session.keys.caseId, kind: 'followup' });
        const copy = sealReply(session.keys.replyPublicKey, utf8Encode(json), 'reporter-copy');
        await session.addFollowup({ message: toBase64Url(message), reporterCopy: toBase64Url(copy) });
      }
      for (const [index, entry] of named.entries()) {
        const { file } = files[index] as CleanedFile;
        await uploadAttachment(session, entry.attachmentId as AttachmentId, file.stream(), file.size, recipients, () => undefined);
      }
      setFollowup('');
      setFiles([]);
      setOpened(await openCase(session));
      setNotice('check.sent');
    } catch (cause) {
      setNotice(errorKey(cause));
    } finally {
      setBusy(false);
    }
  };

  const logout = () => {
    if (opened !== null) wipeCaseKeys(opened.session.keys);
    setOpened(null);
    props.onLogout();
  };

  if (opened === null) {
    return (
      <form onSubmit={(event) => void submitToken(event)} noValidate aria-labelledby="check-heading">
        <h1 id="check-heading">{t('check.heading')}</h1>
        <label for="token">{t('check.tokenLabel')}</label>
        <p id="token-help" class="help">
          {t('check.tokenHelp')}
        </p>
        <input
          id="token"
          name="token"
          autocomplete="off"
          autocapitalize="characters"
          spellcheck={false}
          value={token}
          aria-invalid={error !== null}
          aria-describedby={error ? 'token-help token-error' : 'token-help'}
          onInput={(e) => setToken(e.currentTarget.value)}
        />
        {error && (
          <p id="token-error" class="error" role="alert">
            {t(error)}
          </p>
        )}
        <div class="actions">
          <button type="submit" class="primary" disabled={busy}>
            {t('check.open')}
          </button>
        </div>
      </form>
    );
  }

  const { status } = opened;
  return (
    <section aria-labelledby="case-heading">
      <h1 id="case-heading">{t('check.heading')}</h1>
      <dl class="status">
        <div>
          <dt>{t('check.status')}</dt>
          <dd data-testid="case-status">{t(`status.${status.status}` as MessageKey)}</dd>
        </div>
        <div>
          <dt>{t('check.received')}</dt>
          <dd>{formatDay(status.receivedOn)}</dd>
        </div>
        <div>
          <dt>{status.acknowledgedOn ? t('check.acknowledged') : t('check.ackDue')}</dt>
          <dd>{formatDay(status.acknowledgedOn ?? status.acknowledgeDueOn)}</dd>
        </div>
        <div>
          <dt>{t('check.feedbackDue')}</dt>
          <dd>{formatDay(status.feedbackDueOn)}</dd>
        </div>
        {status.closedOn && (
          <div>
            <dt>{t('check.closed')}</dt>
            <dd>{formatDay(status.closedOn)}</dd>
          </div>
        )}
      </dl>
      <h2>{t('check.replies')}</h2>
      {opened.replies.length === 0 ? (
        <p>{t('check.noReplies')}</p>
      ) : (
        <ol class="messages" data-testid="replies">
          {opened.replies.map((reply) => (
            <li key={reply.seq}>
              <p class="date">{formatDay(reply.createdOn)}</p>
              <p class="text">{reply.text}</p>
            </li>
          ))}
        </ol>
      )}
      <h2>{t('check.yourMessages')}</h2>
      <ol class="messages">
        {opened.sent.map((item) => (
          <li key={item.seq}>
            <p class="date">{formatDay(item.createdOn)}</p>
            <p class="text">{item.text}</p>
          </li>
        ))}
      </ol>
      <form onSubmit={(event) => void send(event)} aria-labelledby="followup-heading">
        <h2 id="followup-heading">{t('check.followup')}</h2>
        <label for="followup">{t('check.message')}</label>
        <textarea id="followup" rows={6} value={followup} onInput={(e) => setFollowup(e.currentTarget.value)} />
        <FilePicker files={files} onChange={setFiles} onChecking={setCheckingFiles} inputId="more-files" />
        {notice && (
          <p role="status" class={notice === 'check.sent' ? '' : 'error'}>
            {t(notice)}
          </p>
        )}
        <div class="actions">
          <button type="submit" class="primary" disabled={busy || checkingFiles}>
            {t('check.send')}
          </button>
        </div>
      </form>
      <div class="actions">
        <button type="button" onClick={logout}>
          {t('check.logout')}
        </button>
      </div>
    </section>
  );
}
