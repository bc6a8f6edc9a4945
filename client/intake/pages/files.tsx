/** Adding files: they stay in the browser until they are encrypted and sent. */
import { useT } from '../i18n/context';

export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

export function FilePicker(props: { files: readonly File[]; onChange: (files: File[]) => void; onContinue?: () => void; inputId?: string }) {
  const t = useT();
  const inputId = props.inputId ?? 'files-input';
  return (
    <div class="files">
      <label for={inputId} class="button">
        {t('files.add')}
      </label>
      <input
        id={inputId}
        class="visually-hidden-input"
        type="file"
        multiple
        onChange={(event) => {
          const picked = [...(event.currentTarget.files ?? [])];
          event.currentTarget.value = '';
          props.onChange([...props.files, ...picked]);
        }}
      />
      {props.files.length === 0 ? (
        <p>{t('files.none')}</p>
      ) : (
        <ul class="file-list">
          {props.files.map((file, index) => (
            <li key={`${file.name}-${index}`}>
              <span>
                {file.name} ({formatSize(file.size)})
              </span>
              <button type="button" onClick={() => props.onChange(props.files.filter((_, i) => i !== index))}>
                {t('files.remove', { name: file.name })}
              </button>
            </li>
          ))}
        </ul>
      )}
      {props.onContinue && (
        <div class="actions">
          <button type="button" class="primary" onClick={props.onContinue}>
            {t('files.continue')}
          </button>
        </div>
      )}
    </div>
  );
}

export function FilesPage(props: { files: readonly File[]; onChange: (files: File[]) => void; onContinue: () => void }) {
  const t = useT();
  return (
    <section aria-labelledby="files-heading">
      <h1 id="files-heading">{t('files.heading')}</h1>
      <p>{t('files.help')}</p>
      <FilePicker files={props.files} onChange={props.onChange} onContinue={props.onContinue} />
    </section>
  );
}
