/** The recovery codes, shown once after enrolling an authenticator app: the server keeps only their hashes. */
import { useState } from 'preact/hooks';
import { t } from '../strings';
import { PageHeading } from '../ui/page-heading';

export function RecoveryCodeList(props: { codes: readonly string[] }) {
  return (
    <ol class="codes" data-testid="recovery-codes">
      {props.codes.map((code) => (
        <li key={code}>
          <code>{code}</code>
        </li>
      ))}
    </ol>
  );
}

export function RecoveryCodes(props: { codes: readonly string[]; onDone: () => void }) {
  const [stored, setStored] = useState(false);
  return (
    <section aria-labelledby="recovery-heading" class="narrow">
      <PageHeading id="recovery-heading" title={t('recovery.heading')} />
      <p>{t('recovery.intro')}</p>
      <RecoveryCodeList codes={props.codes} />
      <label class="choice">
        <input type="checkbox" checked={stored} onChange={(e) => setStored(e.currentTarget.checked)} />
        {t('recovery.stored')}
      </label>
      <div class="actions">
        <button type="button" class="primary" disabled={!stored} onClick={props.onDone}>
          {t('recovery.continue')}
        </button>
      </div>
    </section>
  );
}
