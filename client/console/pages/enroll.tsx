/**
 * First sign-in: the account has no second factor yet. An authenticator app (the secret shown as a QR
 * code drawn in this browser and as text to type in; the server keeps it only once a code proves it
 * was taken) or a security key.
 */
import { startRegistration } from '@simplewebauthn/browser';
import { useEffect, useState } from 'preact/hooks';
import { enrollTotp, newTotpSecret, registerSecurityKey, securityKeyRegistrationOptions } from '../api/session-api';
import type { EnrollmentAnswer, TotpSecretAnswer } from '../../../protocol/console-api/index';
import { t } from '../strings';
import { ErrorMessage } from '../ui/error-message';
import { PageHeading } from '../ui/page-heading';
import { QrCodeImage } from '../ui/qr-code-image';
import { useServices } from '../ui/services';
import { SubmitActions } from '../ui/submit-actions';
import { useAction } from '../ui/use-action';

/** The secret in groups of four, as authenticator apps ask for it to be typed. */
function grouped(secret: string): string {
  return secret.replace(/(.{4})(?=.)/g, '$1 ');
}

export function Enroll(props: { onEnrolled: (enrollment: EnrollmentAnswer) => void; onCancel: () => void }) {
  const { http } = useServices();
  const [secret, setSecret] = useState<TotpSecretAnswer | null>(null);
  const [code, setCode] = useState('');
  const action = useAction();

  useEffect(() => {
    void action.run(async () => setSecret(await newTotpSecret(http)));
  }, []);

  const confirmApp = (event: Event) => {
    event.preventDefault();
    if (secret === null) return;
    void action.run(async () => props.onEnrolled(await enrollTotp(http, secret.secret, code.replace(/\s/g, ''))), 'totp-enrolment');
  };
  const registerKey = () =>
    void action.run(async () => {
      const optionsJSON = await securityKeyRegistrationOptions(http);
      props.onEnrolled(await registerSecurityKey(http, await startRegistration({ optionsJSON })));
    }, 'security-key');

  return (
    <section aria-labelledby="enroll-heading" class="narrow">
      <PageHeading id="enroll-heading" title={t('enroll.heading')} />
      <p>{t('enroll.intro')}</p>
      <ErrorMessage error={action.error} />
      <form onSubmit={confirmApp} aria-labelledby="enroll-app-heading">
        <h2 id="enroll-app-heading">{t('enroll.appHeading')}</h2>
        <p>{t('enroll.appSteps')}</p>
        {secret && (
          <div class="totp-setup">
            <QrCodeImage text={secret.otpauthUri} label={t('enroll.qrCode')} />
            <dl class="facts">
              <div>
                <dt>{t('enroll.secret')}</dt>
                <dd>
                  <code data-testid="totp-secret">{grouped(secret.secret)}</code>
                </dd>
              </div>
              <div>
                <dt>{t('enroll.uri')}</dt>
                <dd>
                  <code class="wrap">{secret.otpauthUri}</code>
                </dd>
              </div>
            </dl>
          </div>
        )}
        <label for="enroll-code">{t('enroll.code')}</label>
        <input id="enroll-code" inputMode="numeric" autocomplete="one-time-code" value={code} onInput={(e) => setCode(e.currentTarget.value)} />
        <SubmitActions label={t('enroll.confirmApp')} disabled={action.busy || secret === null} />
      </form>
      <h2>{t('enroll.keyHeading')}</h2>
      <p>{t('enroll.keySteps')}</p>
      <div class="actions">
        <button type="button" disabled={action.busy} onClick={registerKey}>
          {t('enroll.registerKey')}
        </button>
        <button type="button" class="link" onClick={props.onCancel}>
          {t('secondFactor.cancel')}
        </button>
      </div>
    </section>
  );
}
