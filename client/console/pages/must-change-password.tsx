/** After signing in with a one-time password: nothing else is reachable until the password is changed. */
import type { SessionAnswer } from '../../../protocol/console-api/index';
import { t } from '../strings';
import { PageHeading } from '../ui/page-heading';
import { ChangePasswordForm } from './change-password';

export function MustChangePassword(props: { username: string; onChanged: (session: SessionAnswer) => void }) {
  return (
    <section aria-labelledby="must-change-heading" class="narrow">
      <PageHeading id="must-change-heading" title={t('password.heading')} />
      <p>{t('password.required')}</p>
      <ChangePasswordForm username={props.username} onChanged={props.onChanged} />
    </section>
  );
}
