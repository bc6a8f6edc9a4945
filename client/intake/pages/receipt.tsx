/** The case token, shown once, with ways to keep it and a check that it was kept. */
import { useState } from 'preact/hooks';
import type { CaseToken } from '../../../crypto/index';
import { useT } from '../i18n/context';
import type { MessageKey } from '../i18n/index';
import type { FailedFilesReason } from '../submit';

const FAILED_FILES_TEXT: Readonly<Record<FailedFilesReason, MessageKey>> = {
  'daily-budget': 'receipt.filesLater',
  'storage-full': 'receipt.filesFull',
  network: 'error.network',
};

export function Receipt(props: { token: CaseToken; failedFiles: readonly string[]; failedFilesReason: FailedFilesReason; onDone: () => void }) {
  const t = useT();
  const [copied, setCopied] = useState(false);
  const [typed, setTyped] = useState('');
  const [wrong, setWrong] = useState(false);
  const groups = props.token.split('-');
  const lastGroup = groups.at(-1) ?? '';
  // No site address: found on a searched device, the file alone must not say where its owner reported.
  const text = t('receipt.fileText', { token: props.token });
  const download = () => {
    const url = URL.createObjectURL(new Blob([text], { type: 'text/plain' }));
    const link = document.createElement('a');
    link.href = url;
    link.download = 'case-token.txt';
    link.click();
    URL.revokeObjectURL(url);
  };
  const confirm = (event: Event) => {
    event.preventDefault();
    const matches = typed.trim().toUpperCase().replace(/O/g, '0').replace(/[IL]/g, '1') === lastGroup;
    setWrong(!matches);
    if (matches) props.onDone();
  };
  return (
    <section aria-labelledby="receipt-heading">
      <h1 id="receipt-heading">{t('receipt.heading')}</h1>
      <p id="token-label">{t('receipt.tokenLabel')}</p>
      <p class="token" aria-labelledby="token-label" data-testid="case-token">
        {groups.map((group, index) => (
          <span key={index}>{group}</span>
        ))}
      </p>
      <p class="warning" role="note">
        {t('receipt.warning')}
      </p>
      {props.failedFiles.length > 0 && (
        <p role="alert">
          {t(FAILED_FILES_TEXT[props.failedFilesReason])} {props.failedFiles.join(', ')}
        </p>
      )}
      <div class="actions no-print">
        <button type="button" onClick={() => void navigator.clipboard?.writeText(props.token).then(() => setCopied(true))}>
          {t('receipt.copy')}
        </button>
        <button type="button" onClick={download}>
          {t('receipt.download')}
        </button>
        <button type="button" onClick={() => print()}>
          {t('receipt.print')}
        </button>
        {copied && <span role="status">{t('receipt.copied')}</span>}
      </div>
      <p class="no-print">{t('receipt.addressNote')}</p>
      <form class="no-print" onSubmit={confirm} noValidate>
        <label for="confirm-token">{t('receipt.confirmLabel')}</label>
        <input id="confirm-token" autocomplete="off" spellcheck={false} value={typed} aria-invalid={wrong} aria-describedby={wrong ? 'confirm-error' : undefined} onInput={(e) => setTyped(e.currentTarget.value)} />
        {wrong && (
          <p id="confirm-error" class="error">
            {t('receipt.confirmWrong')}
          </p>
        )}
        <button type="submit" class="primary">
          {t('receipt.confirm')}
        </button>
      </form>
    </section>
  );
}
