/** The signed-in investigator's own settings: keys (and replacing the current one), security keys, password. */
import { startRegistration } from '@simplewebauthn/browser';
import { useEffect, useState } from 'preact/hooks';
import { accountKeys, registerSecurityKey, securityKeyRegistrationOptions } from '../api/session-api';
import type { AccountKey, SessionAccount, SessionAnswer } from '../../../protocol/console-api/index';
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
