/** Changing the password: required after a one-time password, offered any time on the account page. */
import { useState } from 'preact/hooks';
import { changePassword } from '../api/session-api';
import { PASSWORD_MIN_LENGTH } from '../../../protocol/password-policy';
import { passwordProblem, type PasswordProblem } from '../password-form';
import type { SessionAnswer } from '../../../protocol/console-api/index';
import { t, type StringKey } from '../strings';
import { ErrorMessage } from '../ui/error-message';
import { useServices } from '../ui/services';
import { SubmitActions } from '../ui/submit-actions';
import { useAction } from '../ui/use-action';

const PROBLEM_TEXT: Record<PasswordProblem, StringKey> = {
  'too-short': 'password.tooShort',
  'too-long': 'password.tooLong',
  'contains-username': 'password.containsUsername',
  unchanged: 'password.unchanged',
  mismatch: 'password.mismatch',
};

export function ChangePasswordForm(props: { username: string; onChanged: (session: SessionAnswer) => void }) {
  const { http } = useServices();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [repeated, setRepeated] = useState('');
  const action = useAction();

  const submit = (event: Event) => {
    event.preventDefault();
    const problem = passwordProblem({ username: props.username, current, next, repeated });
    if (problem !== null) {
      action.fail(t(PROBLEM_TEXT[problem], { min: PASSWORD_MIN_LENGTH }));
      return;
    }
    void action.run(async () => {
      const { session } = await changePassword(http, current, next);
      setCurrent('');
      setNext('');
      setRepeated('');
      props.onChanged(session);
    }, 'current-password');
  };

  return (
    <form onSubmit={submit} noValidate>
      <p id="password-rule" class="help">
        {t('password.rule', { min: PASSWORD_MIN_LENGTH })}
      </p>
      <label for="current-password">{t('password.current')}</label>
      <input id="current-password" type="password" autocomplete="current-password" value={current} onInput={(e) => setCurrent(e.currentTarget.value)} />
      <label for="new-password">{t('password.new')}</label>
      <input id="new-password" type="password" autocomplete="new-password" aria-describedby="password-rule" value={next} onInput={(e) => setNext(e.currentTarget.value)} />
      <label for="repeat-password">{t('password.repeat')}</label>
      <input id="repeat-password" type="password" autocomplete="new-password" value={repeated} onInput={(e) => setRepeated(e.currentTarget.value)} />
      <ErrorMessage error={action.error} />
      <SubmitActions label={t('password.submit')} disabled={action.busy} />
    </form>
  );
}
