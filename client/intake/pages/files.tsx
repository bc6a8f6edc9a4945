/**
 * Adding files: each is cleaned of the metadata the browser can remove as soon as it is picked, the
 * reporter sees what was removed or not checked, and the files stay here until they are encrypted.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { useT } from '../i18n/context';
import { cleanFile, MAX_CLEANED_BYTES, type CleanedFile, type CleaningMode, type MetadataStatus } from '../metadata/index';
import { DEFAULT_PDF_MODE } from '../metadata/pdf-file';
import { MAX_PDF_PAGES } from '../metadata/pdf-result';
import type { PageProgress } from '../metadata/pdf-pages';

export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

/** What was removed from one file, or why it was not, with what the reporter can do. */
function FileReport(props: { id: string; file: CleanedFile }) {
  const t = useT();
  const { report, original } = props.file;
  const statusId = `${props.id}-status`;
  return (
    <div class="metadata" data-testid="metadata-report">
      <p id={statusId} class={report.status === 'could-not-clean' ? 'error' : undefined}>
        {t(`metadata.status.${report.status}`, { name: original.name })}
      </p>
      {report.removed.length > 0 && (
        <ul aria-labelledby={statusId}>
          {report.removed.map((item) => (
            <li key={item}>{t(`metadata.item.${item}`)}</li>
          ))}
        </ul>
      )}
      <p class="help">{t(`metadata.advice.${report.advice}`, { limit: formatSize(MAX_CLEANED_BYTES), pages: MAX_PDF_PAGES })}</p>
    </div>
  );
}

/** A PDF being cleaned again the way the reporter just chose, with how far drawing its pages got. */
interface PendingPdf {
  readonly mode: CleaningMode;
  readonly progress: PageProgress | null;
}

const PDF_MODES: readonly CleaningMode[] = ['hidden-information', 'pages-only'];

/** The two ways a PDF can be cleaned, each explained; choosing one cleans the original again. */
function PdfChoice(props: { id: string; file: CleanedFile; pending: PendingPdf | undefined; onChoose: (mode: CleaningMode) => void }) {
  const t = useT();
  const chosen = props.pending?.mode ?? props.file.report.mode ?? DEFAULT_PDF_MODE;
  const progress = props.pending?.progress;
  return (
    <fieldset class="pdf-choice" data-testid="pdf-choice" disabled={props.pending !== undefined}>
      <legend>{t('pdf.mode.legend', { name: props.file.original.name })}</legend>
      {PDF_MODES.map((mode) => (
        <div key={mode}>
          <input type="radio" id={`${props.id}-${mode}`} name={props.id} value={mode} checked={chosen === mode} aria-describedby={`${props.id}-${mode}-help`} onChange={() => props.onChoose(mode)} />
          <label for={`${props.id}-${mode}`}>{t(`pdf.mode.${mode}`)}</label>
          <p id={`${props.id}-${mode}-help`} class="help">
            {t(`pdf.mode.${mode}.help`, { pages: MAX_PDF_PAGES })}
          </p>
        </div>
      ))}
      {progress && (
        <p data-testid="pdf-progress">
          <progress max={progress.total} value={progress.done} /> {t('pdf.progress', { name: props.file.original.name, done: progress.done, total: progress.total })}
        </p>
      )}
    </fieldset>
  );
}

/** One live summary for screen readers: what is being checked, and what came of it. */
function Summary(props: { files: readonly CleanedFile[]; checking: number }) {
  const t = useT();
  const count = (statuses: readonly MetadataStatus[]) => props.files.filter((file) => statuses.includes(file.report.status)).length;
  const cleaned = count(['cleaned']);
  const unchecked = count(['not-checked', 'could-not-clean']);
  const sentences = [
    props.checking > 0 ? t('files.checking', { count: props.checking }) : '',
    cleaned > 0 ? t('metadata.summary.removed', { count: cleaned }) : '',
    cleaned === 0 && count(['nothing-found']) > 0 ? t('metadata.summary.nothing') : '',
    unchecked > 0 ? t('metadata.summary.unchecked', { count: unchecked }) : '',
  ];
  return (
    <p role="status" data-testid="metadata-summary">
      {sentences.filter((sentence) => sentence !== '').join(' ')}
    </p>
  );
}

export function FilePicker(props: {
  files: readonly CleanedFile[];
  onChange: (files: CleanedFile[]) => void;
  onContinue?: () => void;
  /** Told whether files are still being checked, so that nothing is sent without them. */
  onChecking?: (checking: boolean) => void;
  inputId?: string;
}) {
  const t = useT();
  const inputId = props.inputId ?? 'files-input';
  const [checking, setChecking] = useState(0);
  // Cleaning finishes after later renders: add to the newest list, not the one this render saw.
  const latest = useRef(props.files);
  latest.current = props.files;
  // Once the reporter has left this picker (or started over), late results must not bring files back.
  const mounted = useRef(true);
  useEffect(() => () => void (mounted.current = false), []);
  const { onChecking } = props;
  useEffect(() => onChecking?.(checking > 0), [checking, onChecking]);

  const commit = (files: CleanedFile[]) => {
    latest.current = files;
    props.onChange(files);
  };
  // PDFs being cleaned again, by their original: only the latest choice's result is kept.
  const [pending, setPending] = useState<ReadonlyMap<File, PendingPdf>>(new Map());
  const wanted = useRef(new Map<File, CleaningMode>());
  const setPendingOf = (original: File, value: PendingPdf | undefined) =>
    setPending((current) => {
      const next = new Map(current);
      if (value === undefined) next.delete(original);
      else next.set(original, value);
      return next;
    });
  const reclean = async (original: File, mode: CleaningMode) => {
    wanted.current.set(original, mode);
    setPendingOf(original, { mode, progress: null });
    setChecking((n) => n + 1);
    let cleaned: CleanedFile;
    try {
      // Always from the original as picked, never from an earlier cleaned copy.
      cleaned = await cleanFile(original, { pdfMode: mode, onPageProgress: (progress) => mounted.current && wanted.current.get(original) === mode && setPendingOf(original, { mode, progress }) });
    } finally {
      setChecking((n) => n - 1);
    }
    if (!mounted.current || wanted.current.get(original) !== mode) return;
    setPendingOf(original, undefined);
    // A file removed meanwhile stays removed.
    commit(latest.current.map((file) => (file.original === original ? cleaned : file)));
  };
  const add = async (picked: readonly File[]) => {
    setChecking((n) => n + picked.length);
    // One file at a time: a picture and its cleaned copy are both in memory while it is cleaned.
    for (const file of picked) {
      let cleaned: CleanedFile;
      try {
        cleaned = await cleanFile(file);
      } finally {
        setChecking((n) => n - 1);
      }
      if (!mounted.current) return;
      commit([...latest.current, cleaned]);
    }
  };

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
          void add(picked);
        }}
      />
      <Summary files={props.files} checking={checking} />
      {props.files.length === 0 ? (
        checking === 0 && <p>{t('files.none')}</p>
      ) : (
        <ul class="file-list">
          {props.files.map((file, index) => (
            <li key={`${file.original.name}-${index}`}>
              <div class="file-row">
                <span>
                  <bdi>{file.original.name}</bdi> (<bdi>{formatSize(file.file.size)}</bdi>)
                </span>
                <button type="button" onClick={() => commit(props.files.filter((_, i) => i !== index))}>
                  {t('files.remove', { name: file.original.name })}
                </button>
              </div>
              {file.report.mode !== undefined && (
                <PdfChoice id={`${inputId}-file-${index}-mode`} file={file} pending={pending.get(file.original)} onChoose={(mode) => void reclean(file.original, mode)} />
              )}
              <FileReport id={`${inputId}-file-${index}`} file={file} />
            </li>
          ))}
        </ul>
      )}
      {props.onContinue && (
        <div class="actions">
          <button type="button" class="primary" disabled={checking > 0} onClick={props.onContinue}>
            {t('files.continue')}
          </button>
        </div>
      )}
    </div>
  );
}

export function FilesPage(props: { files: readonly CleanedFile[]; onChange: (files: CleanedFile[]) => void; onContinue: () => void }) {
  const t = useT();
  return (
    <section aria-labelledby="files-heading">
      <h1 id="files-heading">{t('files.heading')}</h1>
      <p>{t('files.help')}</p>
      <FilePicker files={props.files} onChange={props.onChange} onContinue={props.onContinue} />
    </section>
  );
}
