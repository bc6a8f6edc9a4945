/**
 * Making the investigator's OpenPGP key: generated in this browser, or an existing one imported. Either
 * way the server receives the public key and the private key locked with the passphrase, never unlocked.
 */
import { useState } from 'preact/hooks';
import { generateInvestigatorKey } from '../../../crypto/index';
import { uploadAccountKey } from '../api/session-api';
import type { AccountKey } from '../../../protocol/console-api/index';
import { checkImportedKey, newPassphraseProblem, PASSPHRASE_MIN } from '../key-passphrase';
import { t } from '../strings';
import { ErrorMessage } from '../ui/error-message';
import { useServices } from '../ui/services';
import { SubmitActions } from '../ui/submit-actions';
import { useAction } from '../ui/use-action';

type Mode = 'generate' | 'import';

export function KeySetup(props: { username: string; onReady: (key: AccountKey, passphrase: string) => Promise<void> }) {
  const { http } = useServices();
  const [mode, setMode] = useState<Mode>('generate');
  const [name, setName] = useState(props.username);
  const [passphrase, setPassphrase] = useState('');
  const [repeated, setRepeated] = useState('');
  const [publicKey, setPublicKey] = useState('');
  const [privateKey, setPrivateKey] = useState('');
  const action = useAction();

  const store = async (armoredPublicKey: string, lockedPrivateKey: string) => {
    const { fingerprint } = await uploadAccountKey(http, armoredPublicKey, lockedPrivateKey);
    const key: AccountKey = { fingerprint, publicKey: armoredPublicKey, lockedPrivateKey, createdOn: new Date().toISOString().slice(0, 10), retiredOn: null };
    await props.onReady(key, passphrase);
    setPassphrase('');
    setRepeated('');
  };

  const submit = (event: Event) => {
    event.preventDefault();
    if (mode === 'generate') {
      const problem = newPassphraseProblem(passphrase, repeated);
      if (problem === 'too-short') return action.fail(t('key.passphraseTooShort', { min: PASSPHRASE_MIN }));
      if (problem === 'mismatch') return action.fail(t('key.passphraseMismatch'));
      void action.run(async () => {
        const generated = await generateInvestigatorKey({ name: name.trim() || props.username, passphrase });
        await store(generated.armoredPublicKey, generated.armoredPrivateKey);
      });
      return;
    }
    void action.run(async () => {
      // Checked here first, so that a wrong file or passphrase is named before anything is sent.
      const checked = await checkImportedKey({ publicKey, privateKey, passphrase });
      if (checked.result === 'passphrase-too-short') return action.fail(t('key.importPassphraseTooShort', { min: PASSPHRASE_MIN }));
      await store(checked.publicKey.armoredKey, checked.lockedPrivateKey);
    });
  };

  return (
    <form onSubmit={submit} noValidate>
      <fieldset>
        <legend>{t('key.how')}</legend>
        <label class="choice">
          <input type="radio" name="key-mode" checked={mode === 'generate'} onChange={() => setMode('generate')} />
          {t('key.generate')}
        </label>
        <label class="choice">
          <input type="radio" name="key-mode" checked={mode === 'import'} onChange={() => setMode('import')} />
          {t('key.import')}
        </label>
      </fieldset>
      {mode === 'generate' ? (
        <>
          <label for="key-name">{t('key.name')}</label>
          <input id="key-name" autocomplete="off" value={name} onInput={(e) => setName(e.currentTarget.value)} />
          <p id="passphrase-help" class="help">
            {t('key.passphraseHelp', { min: PASSPHRASE_MIN })}
          </p>
          <label for="key-passphrase">{t('key.passphrase')}</label>
          <input id="key-passphrase" type="password" autocomplete="new-password" aria-describedby="passphrase-help" value={passphrase} onInput={(e) => setPassphrase(e.currentTarget.value)} />
          <label for="key-passphrase-repeat">{t('key.passphraseRepeat')}</label>
          <input id="key-passphrase-repeat" type="password" autocomplete="new-password" value={repeated} onInput={(e) => setRepeated(e.currentTarget.value)} />
        </>
      ) : (
        <>
          <label for="import-public">{t('key.importPublic')}</label>
          <textarea id="import-public" rows={6} spellcheck={false} class="mono" value={publicKey} onInput={(e) => setPublicKey(e.currentTarget.value)} />
          <label for="import-private">{t('key.importPrivate')}</label>
          <textarea id="import-private" rows={6} spellcheck={false} class="mono" value={privateKey} onInput={(e) => setPrivateKey(e.currentTarget.value)} />
          <p id="import-passphrase-help" class="help">
            {t('key.passphraseHelp', { min: PASSPHRASE_MIN })}
          </p>
          <label for="import-passphrase">{t('key.passphrase')}</label>
          <input
            id="import-passphrase"
            type="password"
            autocomplete="current-password"
            aria-describedby="import-passphrase-help"
            value={passphrase}
            onInput={(e) => setPassphrase(e.currentTarget.value)}
          />
        </>
      )}
      <ErrorMessage error={action.error} />
      {action.busy && mode === 'generate' && <p role="status">{t('key.generating')}</p>}
      <SubmitActions label={mode === 'generate' ? t('key.generateSubmit') : t('key.importSubmit')} disabled={action.busy} />
    </form>
  );
}
