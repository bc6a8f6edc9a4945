/** The signed-in investigator's own settings: keys (and replacing the current one), e-mail alerts, security keys, password. */
import { startRegistration } from '@simplewebauthn/browser';
import { useEffect, useState } from 'preact/hooks';
import { accountKeys, registerSecurityKey, securityKeyRegistrationOptions } from '../api/session-api';
import { notificationSettingsAnswerSchema, type AccountKey, type NotificationSettingsAnswer, type NotificationSettingsRequest, type SessionAccount, type SessionAnswer } from '../../../protocol/console-api/index';
import { t } from '../strings';
import { ErrorMessage } from '../ui/error-message';
import { PageHeading } from '../ui/page-heading';
import { useServices } from '../ui/services';
import { useAction } from '../ui/use-action';
import { ChangePasswordForm } from './change-password';
import { KeySetup } from './key-setup';
import { RecoveryCodeList } from './recovery-codes';

function KeysSection(props: { account: SessionAccount }) {
  const { http, keyring } = useServices();
  const [keys, setKeys] = useState<readonly AccountKey[]>([]);
  const [replacing, setReplacing] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const action = useAction();
  useEffect(() => {
    void action.run(async () => setKeys(await accountKeys(http)));
  }, []);

  return (
    <section aria-labelledby="keys-heading">
      <h2 id="keys-heading">{t('account.keys')}</h2>
      <ErrorMessage error={action.error} />
      <ul class="fingerprints">
        {keys.map((key) => (
          <li key={key.fingerprint}>
            <code>{key.fingerprint}</code> {key.retiredOn === null ? t('key.current') : t('key.retired', { day: key.retiredOn })} · {t('account.keyCreated', { day: key.createdOn })}
            {keyring.has(key.fingerprint) && ` · ${t('account.keyChecked')}`}
          </li>
        ))}
      </ul>
      {notice && <p role="status">{notice}</p>}
      {replacing ? (
        <KeySetup
          username={props.account.username}
          onReady={async (key, passphrase) => {
            await keyring.unlock([key], passphrase);
            setKeys(await accountKeys(http));
            setReplacing(false);
            setNotice(t('key.awaitingDirectory'));
          }}
        />
      ) : (
        <div class="actions">
          <button type="button" onClick={() => setReplacing(true)}>
            {t('account.replaceKey')}
          </button>
        </div>
      )}
      <p class="help">{t('account.replaceKeyHelp')}</p>
      <p class="help">{t('account.fingerprintHelp')}</p>
    </section>
  );
}

/** The account's own e-mail alerts: only this account reads or sets its address (docs/console-api.md). */
function AlertsSection() {
  const { http } = useServices();
  const [answer, setAnswer] = useState<NotificationSettingsAnswer | null>(null);
  const [form, setForm] = useState<NotificationSettingsRequest>({ email: '', enabled: true, encrypt: false, showCaseIds: false });
  const [saved, setSaved] = useState(false);
  const action = useAction();
  const show = (loaded: NotificationSettingsAnswer) => {
    setAnswer(loaded);
    setForm(loaded.settings ?? { email: '', ...loaded.suggested });
  };
  useEffect(() => {
    void action.run(async () => show(await http.get('/api/v1/account/notifications', notificationSettingsAnswerSchema)));
  }, []);
  const save = (event: Event) => {
    event.preventDefault();
    void action.run(async () => {
      setSaved(false);
      show(await http.send('POST', '/api/v1/account/notifications', notificationSettingsAnswerSchema, form));
      setSaved(true);
    });
  };
  const change = (changes: Partial<NotificationSettingsRequest>) => setForm({ ...form, ...changes });
  return (
    <section aria-labelledby="alerts-heading">
      <h2 id="alerts-heading">{t('account.alerts')}</h2>
      {answer !== null && (
        <p class="help">
          {answer.intervalMinutes === null ? t('account.alertsUnavailable') : t('account.alertsIntro', { minutes: answer.intervalMinutes, days: answer.daysBeforeDeadline ?? 0 })}
        </p>
      )}
      <p class="help">{t('account.alertsPrivacy')}</p>
      <ErrorMessage error={action.error} />
      {saved && <p role="status">{t('account.alertsSaved')}</p>}
      <form onSubmit={save}>
        <label for="alerts-email">{t('account.alertsEmail')}</label>
        <input id="alerts-email" type="email" autocomplete="email" required maxLength={254} value={form.email} onInput={(e) => change({ email: e.currentTarget.value })} />
        <label class="choice">
          <input type="checkbox" checked={form.enabled} onChange={(e) => change({ enabled: e.currentTarget.checked })} />
          {t('account.alertsEnabled')}
        </label>
        <label class="choice">
          <input type="checkbox" checked={form.encrypt} disabled={answer?.hasKey !== true} onChange={(e) => change({ encrypt: e.currentTarget.checked })} aria-describedby="alerts-encrypt-help" />
          {t('account.alertsEncrypt')}
        </label>
        <p id="alerts-encrypt-help" class="help">
          {answer?.hasKey === false ? t('account.alertsNoKey') : t('account.alertsEncryptHelp')}
        </p>
        <label class="choice">
          <input type="checkbox" checked={form.showCaseIds} onChange={(e) => change({ showCaseIds: e.currentTarget.checked })} />
          {t('account.alertsShowCaseIds')}
        </label>
        <div class="actions">
          <button type="submit" disabled={action.busy || answer === null}>
            {t('account.alertsSave')}
          </button>
        </div>
      </form>
    </section>
  );
}

function SecurityKeysSection(props: { account: SessionAccount; onSession: (session: SessionAnswer) => void }) {
  const { http } = useServices();
  const [added, setAdded] = useState(false);
  const [recoveryCodes, setRecoveryCodes] = useState<readonly string[]>([]);
  const [password, setPassword] = useState('');
  const action = useAction();
  const add = () =>
    void action.run(async () => {
      setAdded(false);
      const optionsJSON = await securityKeyRegistrationOptions(http);
      // Adding a factor to a signed-in account needs the password again.
      const enrollment = await registerSecurityKey(http, await startRegistration({ optionsJSON }), password);
      setPassword('');
      // New codes come only when none were left: shown here, once.
      setRecoveryCodes(enrollment.recoveryCodes);
      props.onSession(enrollment.session);
      setAdded(true);
    }, 'current-password');
  const factors = props.account.secondFactors;
  return (
    <section aria-labelledby="factors-heading">
      <h2 id="factors-heading">{t('account.secondFactors')}</h2>
      <ul>
        <li>{factors.totp ? t('account.totpOn') : t('account.totpOff')}</li>
        <li>{t('account.securityKeys', { count: factors.webauthn })}</li>
        <li>{t('account.recoveryCodesLeft', { count: factors.recoveryCodesLeft })}</li>
      </ul>
      <ErrorMessage error={action.error} />
      {added && <p role="status">{t('account.securityKeyAdded')}</p>}
      {recoveryCodes.length > 0 && (
        <>
          <p>{t('recovery.intro')}</p>
          <RecoveryCodeList codes={recoveryCodes} />
        </>
      )}
      <label for="security-key-password">{t('account.securityKeyPassword')}</label>
      <input id="security-key-password" type="password" autocomplete="current-password" value={password} onInput={(e) => setPassword(e.currentTarget.value)} />
      <div class="actions">
        <button type="button" disabled={action.busy || password === ''} onClick={add}>
          {t('account.addSecurityKey')}
        </button>
      </div>
    </section>
  );
}

export function AccountPage(props: { account: SessionAccount; onSession: (session: SessionAnswer) => void }) {
  const [passwordChanged, setPasswordChanged] = useState(false);
  return (
    <section aria-labelledby="account-heading">
      <PageHeading id="account-heading" title={t('account.heading')} />
      <p>{t('account.signedInAs', { username: props.account.username, role: t(`role.${props.account.role}`) })}</p>
      {props.account.role === 'investigator' && <KeysSection account={props.account} />}
      {props.account.role === 'investigator' && <AlertsSection />}
      <SecurityKeysSection account={props.account} onSession={props.onSession} />
      <section aria-labelledby="password-heading">
        <h2 id="password-heading">{t('password.heading')}</h2>
        {passwordChanged && <p role="status">{t('password.changed')}</p>}
        <ChangePasswordForm
          username={props.account.username}
          onChanged={(session) => {
            props.onSession(session);
            setPasswordChanged(true);
          }}
        />
      </section>
    </section>
  );
}
