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
  wipeCaseKeys,
  type AttachmentId,
  type CaseIdVersion,
  type CaseToken,
} from '../../../crypto/index';
import type { FollowupDocumentV3 } from '../../../protocol/followup-document';
import type { StatusPage } from '../../../protocol/intake-api';
import { writeFollowupMessage } from '../../../protocol/reporter-messages';
import { ApiError, BAD_ANSWER, CaseSession, uploadAttachment } from '../api';
import { readReplies, readSentMessages, type CaseOrigin, type OpenedObject, type ReplyMessage, type SentMessage } from '../case-messages';
import { directoryErrorKey } from '../directory-errors';
import { fileCleaning } from '../file-cleaning';
import { blockSha256OfFile } from '../file-digest';
import { useFormatDay, useT } from '../i18n/context';
import type { MessageKey } from '../i18n/index';
import type { CleanedFile } from '../metadata/index';
import { fetchVerifiedBody, questionnaireOf, type ChosenBody } from '../verified-body';
import { Replies } from './case-conversation';
import { SentMessages } from './sent-messages';
import { FilePicker } from './files';

interface OpenedCase {
  readonly session: CaseSession;
  /** Which id the case is filed under: 2, the digest of its keys; 1 for a case created before protocol version 2. */
  readonly caseIdVersion: CaseIdVersion;
  /** The last page: every page repeats the status fields. The server's word, shown as such. */
  readonly status: StatusPage;
  /** Where the report went, from the reporter's own copy; null if the case holds no report copy. */
  readonly origin: CaseOrigin | null;
  /** The body the report went to, its directory verified for that id; null when it could not be. */
  readonly body: ChosenBody | null;
  /** Why `body` is null. */
  readonly directoryProblem: MessageKey | null;
  readonly replies: readonly ReplyMessage[];
  readonly sent: readonly SentMessage[];
}

/** Far more pages than a case within the intake's limits has; a server that keeps paging is refused. */
const MAX_STATUS_PAGES = 64;

/** The error message of a directory that did not verify, or of the failure that kept it from being fetched. */
function directoryProblemOf(cause: unknown): MessageKey {
  if (cause instanceof CryptoError) return directoryErrorKey(cause.code) ?? 'error.directory';
  if (cause instanceof ApiError && cause.code === BAD_ANSWER) return 'error.bad-answer';
  if (cause instanceof TypeError) return 'error.network';
  return 'error.directory';
}

/** The directory of the body the report went to, verified for that id and no older than the report's. */
async function verifiedBodyOf(origin: CaseOrigin | null): Promise<{ body: ChosenBody | null; directoryProblem: MessageKey | null }> {
  if (origin === null) return { body: null, directoryProblem: 'error.directory' };
  try {
    return { body: await fetchVerifiedBody(origin.bodyId, __CANDOR_DIRECTORY_PINS__, origin.directorySerial), directoryProblem: null };
  } catch (cause) {
    return { body: null, directoryProblem: directoryProblemOf(cause) };
  }
}

/**
 * Whether an unsigned report copy can be a case's own: only in a case filed under its version 1 id,
 * for a body this build pins as having cases from before protocol version 2.
 */
function acceptsUnsignedReportIn(caseIdVersion: CaseIdVersion): (bodyId: string) => boolean {
  return (bodyId) => caseIdVersion === 1 && Object.hasOwn(__CANDOR_DIRECTORY_PINS__, bodyId) && __CANDOR_DIRECTORY_PINS__[bodyId]?.unsignedCases === true;
}

/** The status, then each message's bytes one by one: no answer grows with the case (issue 13). */
async function openCase(session: CaseSession, caseIdVersion: CaseIdVersion): Promise<OpenedCase> {
  let status = await session.status();
  const entries = [...status.objects];
  for (let page = 1; status.nextAfter !== null; page++) {
    if (page >= MAX_STATUS_PAGES) throw new Error('The case lists more messages than it can hold.');
    status = await session.status(status.nextAfter);
    entries.push(...status.objects);
  }
  const replies: OpenedObject[] = [];
  const copies: OpenedObject[] = [];
  for (const entry of entries) {
    const plaintext = openReply(session.keys, await session.fetchObject(entry.seq), entry.kind);
    (entry.kind === 'reply' ? replies : copies).push({ seq: entry.seq, createdOn: entry.createdOn, plaintext });
  }
  const { origin, sent } = await readSentMessages(copies, session.keys, acceptsUnsignedReportIn(caseIdVersion));
  const { body, directoryProblem } = await verifiedBodyOf(origin);
  return { session, caseIdVersion, status, origin, body, directoryProblem, replies: await readReplies(replies, session.keys.caseId, body?.directory ?? null), sent };
}

/**
 * Opens the case of `token`: under its version 2 id, the digest of its keys; failing that, under the
 * version 1 id of a case created before protocol version 2 (both unknown: the token is wrong).
 */
async function openWithToken(token: CaseToken): Promise<OpenedCase> {
  const keys = await deriveCaseKeys(token);
  try {
    return await openCase(new CaseSession(keys), 2);
  } catch (error) {
    if (!(error instanceof ApiError && error.code === 'unauthorized')) throw error;
    wipeCaseKeys(keys);
  }
  return openCase(new CaseSession(await deriveCaseKeys(token, 1)), 1);
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
    if (cause instanceof CryptoError) return directoryErrorKey(cause.code) ?? 'error.generic';
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
      setOpened(await openWithToken(parsed));
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
      const { session, origin } = opened;
      // Only to the body the reporter's own report names, under a directory verified for it now and no
      // older than the report's; never to the body the server's status names.
      if (origin === null || opened.body === null) {
        setNotice(opened.directoryProblem ?? 'error.directory');
        return;
      }
      const { recipients } = (await fetchVerifiedBody(origin.bodyId, __CANDOR_DIRECTORY_PINS__, origin.directorySerial)).directory;
      // As for a report, the files' ids are chosen first, so that the follow-up can name them (docs/protocol.md §7.1).
      const named: FollowupDocumentV3['files'] = [];
      for (const { original, file, report } of files) {
        named.push({ attachmentId: newAttachmentId(), name: original.name, type: original.type, size: file.size, blockSha256: await blockSha256OfFile(file), cleaning: fileCleaning(report) });
      }
      if (followup.trim() !== '' || named.length > 0) {
        const signed = await writeFollowupMessage(session.keys, followup.trim() === '' ? '' : followup, named);
        const message = await encryptReport(signed, recipients, { caseId: session.keys.caseId, kind: 'followup' });
        const copy = sealReply(session.keys.replyPublicKey, signed, 'reporter-copy');
        await session.addFollowup({ message: toBase64Url(message), reporterCopy: toBase64Url(copy) });
      }
      for (const [index, entry] of named.entries()) {
        const { file } = files[index] as CleanedFile;
        await uploadAttachment(session, entry.attachmentId as AttachmentId, file.stream(), file.size, recipients, () => undefined);
      }
      setFollowup('');
      setFiles([]);
      setOpened(await openCase(session, opened.caseIdVersion));
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

  const { status, origin, body } = opened;
  return (
    <section aria-labelledby="case-heading">
      <h1 id="case-heading">{t('check.heading')}</h1>
      {body !== null ? (
        <p data-testid="case-body">{t('check.reportedTo', { body: body.directory.name })}</p>
      ) : (
        <p class="warning" role="alert" data-testid="case-directory-warning">
          {t('check.directoryUnverified')}
        </p>
      )}
      {origin !== null && status.bodyId !== origin.bodyId && (
        <p class="warning" role="alert" data-testid="case-body-mismatch">
          {t('check.bodyMismatch')}
        </p>
      )}
      <p class="help" data-testid="status-source">
        {t('check.statusSource')}
      </p>
      <dl class="status">
        <div>
          <dt>{t('check.status')}</dt>
          <dd data-testid="case-status">{t(`status.${status.status}` as MessageKey)}</dd>
        </div>
        <div>
          <dt>{t('check.received')}</dt>
          <dd>{formatDay(status.receivedOn)}</dd>
        </div>
        {/* The same two facts from the same days as the console's (client/console/case/case-facts.tsx). */}
        <div>
          <dt>{status.acknowledgedOn ? t('check.acknowledged') : t('check.ackDue')}</dt>
          <dd data-testid="case-acknowledgment">
            <time dateTime={status.acknowledgedOn ?? status.acknowledgeDueOn}>{formatDay(status.acknowledgedOn ?? status.acknowledgeDueOn)}</time>
          </dd>
        </div>
        <div>
          <dt>{status.feedbackOn ? t('check.feedbackGiven') : t('check.feedbackDue')}</dt>
          <dd data-testid="case-feedback">
            <time dateTime={status.feedbackOn ?? status.feedbackDueOn}>{formatDay(status.feedbackOn ?? status.feedbackDueOn)}</time>
          </dd>
        </div>
        {status.closedOn && (
          <div>
            <dt>{t('check.closed')}</dt>
            <dd>{formatDay(status.closedOn)}</dd>
          </div>
        )}
      </dl>
      <h2>{t('check.replies')}</h2>
      <Replies replies={opened.replies} bodyName={body?.directory.name ?? null} />
      <h2>{t('check.yourMessages')}</h2>
      <SentMessages sent={opened.sent} questionnaire={body === null ? null : questionnaireOf(body.directory)} />
      <form onSubmit={(event) => void send(event)} aria-labelledby="followup-heading">
        <h2 id="followup-heading">{t('check.followup')}</h2>
        <label for="followup">{t('check.message')}</label>
        <textarea id="followup" rows={6} value={followup} onInput={(e) => setFollowup(e.currentTarget.value)} />
        <FilePicker files={files} onChange={setFiles} onChecking={setCheckingFiles} inputId="more-files" />
        {notice && (
          <p role="status" class={notice === 'check.sent' ? '' : 'error'} data-testid="followup-notice">
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
