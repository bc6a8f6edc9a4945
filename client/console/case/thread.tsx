/** What was written after the report, in order: the reporter's follow-ups, replies sent, private notes. */
import type { CaseEntry } from '../case-crypto';
import { t, type StringKey } from '../strings';

export function Thread(props: { entries: readonly CaseEntry[] }) {
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
                <p class="text">{entry.text}</p>
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
