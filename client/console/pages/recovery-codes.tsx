/** The recovery codes, shown once after enrolling a second factor: the server keeps only their hashes. */
import { useState } from 'preact/hooks';
import { t } from '../strings';
import { ErrorMessage } from '../ui/error-message';
import { PageHeading } from '../ui/page-heading';
import { saveBlob } from '../ui/save-file';

/** The download's name: no site address in it, so the file says nothing about where it signs in. */
export const RECOVERY_CODES_FILE_NAME = 'recovery-codes.txt';

/** The codes one a line and nothing else, as copied and downloaded. */
export function recoveryCodesText(codes: readonly string[]): string {
  return `${codes.join('\n')}\n`;
}

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
  const [copied, setCopied] = useState(false);
  const [copyFailed, setCopyFailed] = useState(false);

  const copy = () => {
    setCopied(false);
    setCopyFailed(false);
    navigator.clipboard.writeText(recoveryCodesText(props.codes)).then(
      () => setCopied(true),
      () => setCopyFailed(true),
    );
  };
  const download = () => saveBlob(new Blob([recoveryCodesText(props.codes)], { type: 'text/plain' }), RECOVERY_CODES_FILE_NAME);

  return (
    <section aria-labelledby="recovery-heading" class="narrow recovery-sheet">
      <PageHeading id="recovery-heading" title={t('recovery.heading')} />
      <p>{t('recovery.intro')}</p>
      <p>{t('recovery.offline')}</p>
      <RecoveryCodeList codes={props.codes} />
      <div class="actions">
        <button type="button" onClick={copy}>
          {t('recovery.copy')}
        </button>
        <button type="button" onClick={download}>
          {t('recovery.download')}
        </button>
        <button type="button" onClick={() => window.print()}>
          {t('recovery.print')}
        </button>
      </div>
      <p role="status">{copied ? t('recovery.copied') : ''}</p>
      <ErrorMessage error={copyFailed ? t('recovery.copyFailed') : null} />
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
