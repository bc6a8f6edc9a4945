/**
 * The case's replies. A reply is shown as the body's only when an investigator its verified directory
 * lists signed it; any other is shown inside a warning, since the server (or anyone holding the case's
 * public key) could have written it. Only a signed reply is marked as the acknowledgment of receipt or
 * the feedback, as its signature says. (What the reporter sent: sent-messages.tsx.)
 */
import type { ReplyMessage } from '../case-messages';
import { useFormatDay, useT } from '../i18n/context';

/** `bodyName`: the name the body's verified directory signs; null when it could not be verified. */
export function Replies(props: { replies: readonly ReplyMessage[]; bodyName: string | null }) {
  const t = useT();
  const formatDay = useFormatDay();
  if (props.replies.length === 0) return <p>{t('check.noReplies')}</p>;
  return (
    <ol class="messages" data-testid="replies">
      {props.replies.map((reply) => (
        <li key={reply.seq} data-authenticity={reply.authenticity}>
          <p class="date">{formatDay(reply.createdOn)}</p>
          {reply.authenticity === 'signed' ? (
            <>
              <p class="author" data-testid="reply-author">
                {t('check.replyFrom', { role: reply.role ?? t('check.investigator') })}
              </p>
              {reply.purpose !== null && (
                <p class="purpose" data-testid="reply-purpose" data-purpose={reply.purpose}>
                  {t(`check.purpose.${reply.purpose}`)}
                </p>
              )}
              <p class="text">{reply.text}</p>
            </>
          ) : (
            <div class="unauthenticated" role="group" aria-labelledby={`reply-warning-${reply.seq}`}>
              <p id={`reply-warning-${reply.seq}`} class="error" data-testid="reply-warning">
                {props.bodyName === null || reply.authenticity === 'unverified' ? t('check.replyUnverified') : t('check.replyUnsigned', { body: props.bodyName })}
              </p>
              <p class="text">{reply.text}</p>
            </div>
          )}
        </li>
      ))}
    </ol>
  );
}
