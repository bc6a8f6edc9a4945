/**
 * A submitted PDF's pages drawn for the viewer, read as client/shared/pdf-reading.ts reads every PDF
 * (nothing fetched, nothing executed). Loaded only when a PDF is viewed (file-viewer.tsx imports
 * pdf-view.tsx dynamically).
 */
import { AnnotationMode, RenderingCancelledException, type PDFDocumentProxy, type RenderTask } from 'pdfjs-dist';
import { readPdf } from '../../shared/pdf-reading';
import { VIEW_LIMITS } from './view-limits';

/** Why a PDF is not shown. */
export class PdfRefusedError extends Error {
  override readonly name = 'PdfRefusedError';
  constructor(readonly code: 'unreadable' | 'encrypted' | 'too-many-pages') {
    super(`The PDF is not shown: ${code}.`);
  }
}

export interface PdfPages {
  readonly pageCount: number;
  /**
   * Draws page `pageNumber` (from 1) on `canvas`, which it sizes: 'drawn', or 'cancelled' when another
   * render or `close` came first; rejects when the page cannot be drawn.
   */
  render(pageNumber: number, canvas: HTMLCanvasElement): Promise<'drawn' | 'cancelled'>;
  /** Ends the worker and drops the document; the bytes go with it. */
  close(): Promise<void>;
}

/** The scale a page is drawn at: sharp on the screen, but never more than VIEW_LIMITS.pdfPageMaxPixels. */
function pageScale(width: number, height: number): number {
  const wanted = Math.max(1, Math.min(window.devicePixelRatio || 1, 2)) * 1.25;
  const largest = Math.sqrt(VIEW_LIMITS.pdfPageMaxPixels / Math.max(1, width * height));
  return Math.min(wanted, largest);
}

export async function openPdf(bytes: Uint8Array): Promise<PdfPages> {
  // Read from the caller's bytes, which pdf.js detaches: not kept twice. Ended on close.
  const reading = readPdf(bytes, { maxImageSize: VIEW_LIMITS.pdfImageMaxPixels });
  let document: PDFDocumentProxy;
  try {
    document = await reading.task.promise;
  } catch (error) {
    await reading.end();
    throw new PdfRefusedError(error instanceof Error && error.name === 'PasswordException' ? 'encrypted' : 'unreadable');
  }
  if (document.numPages > VIEW_LIMITS.pdfMaxPages) {
    await reading.end();
    throw new PdfRefusedError('too-many-pages');
  }
  let current: RenderTask | null = null;
  return {
    pageCount: document.numPages,
    async render(pageNumber, canvas) {
      current?.cancel();
      const page = await document.getPage(pageNumber);
      const { width, height } = page.getViewport({ scale: 1 });
      const viewport = page.getViewport({ scale: pageScale(width, height) });
      canvas.width = Math.floor(viewport.width);
      canvas.height = Math.floor(viewport.height);
      // Annotations are drawn into the canvas as they look (ENABLE), never as live links or form fields.
      const task = page.render({ canvas, viewport, annotationMode: AnnotationMode.ENABLE });
      current = task;
      try {
        await task.promise;
        return 'drawn';
      } catch (error) {
        if (error instanceof RenderingCancelledException) return 'cancelled';
        throw error;
      } finally {
        if (current === task) current = null;
        page.cleanup();
      }
    },
    async close() {
      current?.cancel();
      await reading.end();
    },
  };
}
