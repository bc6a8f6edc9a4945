/** The second step of signing in: a code from the authenticator app, a security key, or a recovery code. */
import { startAuthentication } from '@simplewebauthn/browser';
import { useState } from 'preact/hooks';
import { securityKeySignInOptions, verifyRecoveryCode, verifySecurityKey, verifyTotp } from '../api/session-api';
import type { SessionAccount, SessionAnswer } from '../../../protocol/console-api/index';
import { t } from '../strings';
import { ErrorMessage } from '../ui/error-message';
import { PageHeading } from '../ui/page-heading';
import { useServices } from '../ui/services';
import { useAction } from '../ui/use-action';

export function SecondFactor(props: { account: SessionAccount; onSession: (session: SessionAnswer) => void; onCancel: () => void }) {
  const { http } = useServices();
  const [code, setCode] = useState('');
  const [recoveryCode, setRecoveryCode] = useState('');
  const action = useAction();
  const { totp, webauthn, recoveryCodesLeft } = props.account.secondFactors;

  const submitCode = (event: Event) => {
    event.preventDefault();
    void action.run(async () => props.onSession(await verifyTotp(http, code.replace(/\s/g, ''))), 'totp-code');
  };
  const submitRecoveryCode = (event: Event) => {
    event.preventDefault();
    void action.run(async () => props.onSession(await verifyRecoveryCode(http, recoveryCode.trim())), 'recovery-code');
  };
  const useSecurityKey = () =>
    void action.run(async () => {
      const optionsJSON = await securityKeySignInOptions(http);
      props.onSession(await verifySecurityKey(http, await startAuthentication({ optionsJSON })));
    }, 'security-key');

  return (
    <section aria-labelledby="second-factor-heading" class="narrow">
      <PageHeading id="second-factor-heading" title={t('secondFactor.heading')} />
      <ErrorMessage error={action.error} />
      {webauthn > 0 && (
        <div class="actions">
          <button type="button" class="primary" disabled={action.busy} onClick={useSecurityKey}>
            {t('secondFactor.securityKey')}
          </button>
        </div>
      )}
      {totp && (
        <form onSubmit={submitCode}>
          <label for="totp-code">{t('secondFactor.code')}</label>
          <input id="totp-code" inputMode="numeric" autocomplete="one-time-code" pattern="[0-9 ]*" value={code} onInput={(e) => setCode(e.currentTarget.value)} />
          <div class="actions">
            <button type="submit" class={webauthn > 0 ? '' : 'primary'} disabled={action.busy}>
              {t('secondFactor.verify')}
            </button>
          </div>
        </form>
      )}
      {recoveryCodesLeft > 0 && (
        <details>
          <summary>{t('secondFactor.lostDevice')}</summary>
          <form onSubmit={submitRecoveryCode}>
            <label for="recovery-code">{t('secondFactor.recoveryCode')}</label>
            <input id="recovery-code" autocomplete="off" spellcheck={false} value={recoveryCode} onInput={(e) => setRecoveryCode(e.currentTarget.value)} />
            <div class="actions">
              <button type="submit" disabled={action.busy}>
                {t('secondFactor.useRecoveryCode')}
              </button>
            </div>
          </form>
        </details>
      )}
      <div class="actions">
        <button type="button" class="link" onClick={props.onCancel}>
          {t('secondFactor.cancel')}
        </button>
      </div>
    </section>
  );
}
