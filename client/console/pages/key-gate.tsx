/**
 * Between signing in and reading cases: the investigator's keys are unlocked in this tab, or made
 * first if the account has none. Older keys with another passphrase can be unlocked too.
 */
import { useEffect, useState } from 'preact/hooks';
import { accountKeys } from '../api/session-api';
import type { AccountKey } from '../../../protocol/console-api/index';
import { t } from '../strings';
import { ErrorMessage } from '../ui/error-message';
import { PageHeading } from '../ui/page-heading';
import { useServices } from '../ui/services';
import { SubmitActions } from '../ui/submit-actions';
import { useAction } from '../ui/use-action';
import { KeySetup } from './key-setup';

export function KeyGate(props: { username: string; onDone: (notice: string | null) => void }) {
  const { http, keyring } = useServices();
  const [keys, setKeys] = useState<readonly AccountKey[] | null>(null);
  const [stillLocked, setStillLocked] = useState<readonly string[]>([]);
  const [passphrase, setPassphrase] = useState('');
  const action = useAction();

  useEffect(() => {
    void action.run(async () => setKeys(await accountKeys(http)));
  }, []);

  const unlock = (event: Event) => {
    event.preventDefault();
    if (keys === null) return;
    void action.run(async () => {
      const result = await keyring.unlock(keys, passphrase);
      setPassphrase('');
      if (result.stillLocked.length === 0) props.onDone(null);
      else setStillLocked(result.stillLocked);
    });
  };

  if (keys === null) {
    return (
      <section aria-labelledby="key-heading" class="narrow">
        <PageHeading id="key-heading" title={t('key.unlockHeading')} />
        {action.error ? <ErrorMessage error={action.error} /> : <p role="status">{t('app.loading')}</p>}
      </section>
    );
  }

  if (keys.length === 0) {
    return (
      <section aria-labelledby="key-heading" class="narrow">
        <PageHeading id="key-heading" title={t('key.setupHeading')} />
        <p>{t('key.setupIntro')}</p>
        <KeySetup
          username={props.username}
          onReady={async (key, chosen) => {
            await keyring.unlock([key], chosen);
            props.onDone(t('key.awaitingDirectory'));
          }}
        />
      </section>
    );
  }

  const older = stillLocked.length > 0;
  return (
    <form onSubmit={unlock} aria-labelledby="key-heading" class="narrow">
      <PageHeading id="key-heading" title={t('key.unlockHeading')} />
      <p>{older ? t('key.olderLocked', { count: stillLocked.length }) : t('key.unlockIntro')}</p>
      <ul class="fingerprints">
        {keys
          .filter((key) => !older || stillLocked.includes(key.fingerprint))
          .map((key) => (
            <li key={key.fingerprint}>
              <code>{key.fingerprint}</code> {key.retiredOn === null ? t('key.current') : t('key.retired', { day: key.retiredOn })}
            </li>
          ))}
      </ul>
      <label for="unlock-passphrase">{t('key.passphrase')}</label>
      <input id="unlock-passphrase" type="password" autocomplete="current-password" value={passphrase} onInput={(e) => setPassphrase(e.currentTarget.value)} />
      <ErrorMessage error={action.error} />
      <SubmitActions label={t('key.unlock')} disabled={action.busy}>
        {older && (
          <button type="button" onClick={() => props.onDone(null)}>
            {t('key.continueWithout')}
          </button>
        )}
      </SubmitActions>
    </form>
  );
}
