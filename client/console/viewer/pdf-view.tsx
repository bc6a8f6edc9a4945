/**
 * A PDF, one page at a time, each drawn by pdf.js on a canvas (pdf-document.ts sets how it reads the
 * file). Loaded with pdf.js only when a PDF is viewed; unmounting ends pdf.js's worker and drops the file.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { t } from '../strings';
import { openPdf, PdfRefusedError, type PdfPages } from './pdf-document';
import { RefusalView, type ShownRefusal } from './refusal-view';

const REFUSAL: Readonly<Record<PdfRefusedError['code'], ShownRefusal>> = {
  unreadable: 'pdf-unreadable',
  encrypted: 'pdf-encrypted',
  'too-many-pages': 'pdf-too-many-pages',
};

export function PdfView(props: { bytes: Uint8Array<ArrayBuffer>; name: string }) {
  const [pages, setPages] = useState<PdfPages | null>(null);
  const [refusal, setRefusal] = useState<ShownRefusal | null>(null);
  const [pageNumber, setPageNumber] = useState(1);
  // Which page the state is of: a new page is 'drawing' from its first paint, not from the effect that starts it.
  const [outcome, setOutcome] = useState<{ readonly page: number; readonly state: 'drawn' | 'failed' } | null>(null);
  const canvas = useRef<HTMLCanvasElement>(null);

  useEffect(() => {
    let unmounted = false;
    let opened: PdfPages | null = null;
    openPdf(props.bytes).then(
      (document) => {
        if (unmounted) void document.close();
        else {
          opened = document;
          setPages(document);
        }
      },
      (error: unknown) => {
        if (!unmounted) setRefusal(error instanceof PdfRefusedError ? REFUSAL[error.code] : 'pdf-unreadable');
      },
    );
    return () => {
      unmounted = true;
      void opened?.close();
    };
  }, [props.bytes]);

  useEffect(() => {
    const target = canvas.current;
    if (pages === null || target === null) return;
    let current = true;
    pages.render(pageNumber, target).then(
      (rendered) => {
        if (current && rendered === 'drawn') setOutcome({ page: pageNumber, state: 'drawn' });
      },
      () => {
        if (current) setOutcome({ page: pageNumber, state: 'failed' });
      },
    );
    return () => {
      current = false;
      target.width = 0;
      target.height = 0;
    };
  }, [pages, pageNumber]);

  if (refusal !== null) return <RefusalView reason={refusal} />;
  if (pages === null) return <p role="status">{t('viewer.preparing')}</p>;
  const label = t('viewer.pdfPage', { page: pageNumber, pages: pages.pageCount });
  const drawn = outcome?.page === pageNumber ? outcome.state : 'drawing';
  return (
    <div class="pdf-view" data-testid="viewer-pdf" data-pages={pages.pageCount}>
      <div class="pdf-paging">
        <button type="button" disabled={pageNumber <= 1} onClick={() => setPageNumber(pageNumber - 1)}>
          {t('viewer.previousPage')}
        </button>{' '}
        <span role="status" data-testid="viewer-page">
          {label}
        </span>{' '}
        <button type="button" disabled={pageNumber >= pages.pageCount} onClick={() => setPageNumber(pageNumber + 1)}>
          {t('viewer.nextPage')}
        </button>
      </div>
      {drawn === 'failed' && <p class="error">{t('viewer.pageFailed')}</p>}
      {/* A new canvas for each page: nothing of the last page stays drawn under the next. */}
      <canvas
        key={pageNumber}
        ref={canvas}
        class="viewer-canvas"
        role="img"
        data-testid="viewer-pdf-page"
        data-page={pageNumber}
        data-state={drawn}
        aria-label={t('viewer.pdfPageCanvas', { page: pageNumber, name: props.name })}
      />
    </div>
  );
}
