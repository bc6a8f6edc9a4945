/** Writing a reply to the reporter or a private note: signed and encrypted here, then sent; or why not (`reply-blocked`, `note-blocked`). */
import { useState } from 'preact/hooks';
import { t, type StringKey } from '../strings';
import { ErrorMessage } from '../ui/error-message';
import { SubmitActions } from '../ui/submit-actions';
import { useAction } from '../ui/use-action';

export type ComposeKind = 'reply' | 'note';

export function ComposeForm(props: { kind: ComposeKind; disabledReason: string | null; onSend: (text: string) => Promise<void> }) {
  const [text, setText] = useState('');
  const [sent, setSent] = useState(false);
  const action = useAction();
  const key = (suffix: string) => `compose.${props.kind}.${suffix}` as StringKey;
  const id = `compose-${props.kind}`;

  const submit = (event: Event) => {
    event.preventDefault();
    setSent(false);
    if (text.trim() === '') {
      action.fail(t('compose.empty'));
      return;
    }
    void action.run(async () => {
      await props.onSend(text);
      setText('');
      setSent(true);
    });
  };

  return (
    <form onSubmit={submit} aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`}>{t(key('heading'))}</h2>
      <p id={`${id}-help`} class="help">
        {t(key('help'))}
      </p>
      <label for={id}>{t(key('label'))}</label>
      <textarea id={id} rows={6} aria-describedby={`${id}-help`} value={text} onInput={(e) => setText(e.currentTarget.value)} />
      {props.disabledReason && (
        <p class="error" role="alert" data-testid={`${props.kind}-blocked`}>
          {props.disabledReason}
        </p>
      )}
      <ErrorMessage error={action.error} />
      {sent && <p role="status">{t(key('sent'))}</p>}
      <SubmitActions label={t(key('submit'))} disabled={action.busy || props.disabledReason !== null} />
    </form>
  );
}
