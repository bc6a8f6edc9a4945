/** The first step of signing in: user name and password. */
import { useState } from 'preact/hooks';
import { signIn } from '../api/session-api';
import type { SessionAnswer } from '../../../protocol/console-api/index';
import { t } from '../strings';
import { ErrorMessage } from '../ui/error-message';
import { PageHeading } from '../ui/page-heading';
import { useServices } from '../ui/services';
import { SubmitActions } from '../ui/submit-actions';
import { useAction } from '../ui/use-action';

export function SignIn(props: { notice: string | null; onSession: (session: SessionAnswer) => void }) {
  const { http } = useServices();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const action = useAction();

  const submit = (event: Event) => {
    event.preventDefault();
    void action.run(async () => {
      const session = await signIn(http, username.trim().toLowerCase(), password);
      setPassword('');
      props.onSession(session);
    }, 'sign-in');
  };

  return (
    <form onSubmit={submit} aria-labelledby="sign-in-heading" class="narrow">
      <PageHeading id="sign-in-heading" title={t('signIn.heading')} />
      {props.notice && <p role="status">{props.notice}</p>}
      <label for="username">{t('signIn.username')}</label>
      <input id="username" name="username" autocomplete="username" autocapitalize="none" spellcheck={false} required value={username} onInput={(e) => setUsername(e.currentTarget.value)} />
      <label for="password">{t('signIn.password')}</label>
      <input id="password" name="password" type="password" autocomplete="current-password" required value={password} onInput={(e) => setPassword(e.currentTarget.value)} />
      <ErrorMessage error={action.error} />
      <SubmitActions label={t('signIn.submit')} disabled={action.busy} />
    </form>
  );
}
