/**
 * Writing a reply to the reporter or a private note: signed and encrypted here, then sent; or why not
 * (`reply-blocked`, `note-blocked`). A reply is a message, the acknowledgment of receipt or the
 * feedback, as the investigator chooses: the choice is signed with it and sets the case's days.
 */
import { useEffect, useState } from 'preact/hooks';
import { REPLY_PURPOSES, type ReplyPurpose } from '../../../protocol/investigator-messages';
import { t, type StringKey } from '../strings';
import { ErrorMessage } from '../ui/error-message';
import { SubmitActions } from '../ui/submit-actions';
import { useAction } from '../ui/use-action';

export type ComposeKind = 'reply' | 'note';

/** What a reply is: a plain message, or one of the purposes the directive's deadlines count. */
export type ReplyChoice = 'message' | ReplyPurpose;
const REPLY_CHOICES: readonly ReplyChoice[] = ['message', ...REPLY_PURPOSES];

/** The choice offered first: the acknowledgment while the case has none, else a plain message. */
export function suggestedReplyChoice(summary: { readonly acknowledgedOn: string | null }): ReplyChoice {
  return summary.acknowledgedOn === null ? 'acknowledgment' : 'message';
}

function PurposeChoice(props: { choice: ReplyChoice; onChange: (choice: ReplyChoice) => void }) {
  return (
    <fieldset data-testid="reply-purpose">
      <legend>{t('compose.purpose.legend')}</legend>
      {REPLY_CHOICES.map((choice) => (
        <label class="choice" key={choice}>
          <input type="radio" name="reply-purpose" value={choice} checked={props.choice === choice} onChange={() => props.onChange(choice)} />
          {t(`compose.purpose.${choice}` as StringKey)}
        </label>
      ))}
      <p class="help">{t('compose.purpose.help')}</p>
    </fieldset>
  );
}

export function ComposeForm(props: {
  kind: ComposeKind;
  disabledReason: string | null;
  /** For a reply: the choice preselected (it follows the case, e.g. once it is acknowledged). */
  suggestedChoice?: ReplyChoice;
  onSend: (text: string, purpose: ReplyPurpose | undefined) => Promise<void>;
}) {
  const [text, setText] = useState('');
  const [choice, setChoice] = useState<ReplyChoice>(props.suggestedChoice ?? 'message');
  const [sent, setSent] = useState(false);
  const action = useAction();
  const key = (suffix: string) => `compose.${props.kind}.${suffix}` as StringKey;
  const id = `compose-${props.kind}`;
  const isReply = props.kind === 'reply';

  useEffect(() => setChoice(props.suggestedChoice ?? 'message'), [props.suggestedChoice]);

  const submit = (event: Event) => {
    event.preventDefault();
    setSent(false);
    if (text.trim() === '') {
      action.fail(t('compose.empty'));
      return;
    }
    void action.run(async () => {
      await props.onSend(text, isReply && choice !== 'message' ? choice : undefined);
      setText('');
      // Back to a plain message: the next reply is an acknowledgment or feedback only if chosen again.
      setChoice('message');
      setSent(true);
    });
  };

  // The button names what is sent, so that an acknowledgment or feedback is never sent unawares.
  const submitLabel = isReply && choice !== 'message' ? t(`compose.reply.submit.${choice}` as StringKey) : t(key('submit'));
  return (
    <form onSubmit={submit} aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`}>{t(key('heading'))}</h2>
      <p id={`${id}-help`} class="help">
        {t(key('help'))}
      </p>
      {isReply && <PurposeChoice choice={choice} onChange={setChoice} />}
      <label for={id}>{t(key('label'))}</label>
      <textarea id={id} rows={6} aria-describedby={`${id}-help`} value={text} onInput={(e) => setText(e.currentTarget.value)} />
      {props.disabledReason && (
        <p class="error" role="alert" data-testid={`${props.kind}-blocked`}>
          {props.disabledReason}
        </p>
      )}
      <ErrorMessage error={action.error} />
      {sent && <p role="status">{t(key('sent'))}</p>}
      <SubmitActions label={submitLabel} disabled={action.busy || props.disabledReason !== null} />
    </form>
  );
}
