/**
 * The only file that imports pdf.js, and sets how it reads a submitted PDF: from bytes already in
 * memory, in a worker served from 'self', with nothing fetched and nothing executed. Loaded only when
 * a PDF is viewed (file-viewer.tsx imports pdf-view.tsx dynamically).
 */
import { AnnotationMode, getDocument, PDFWorker, RenderingCancelledException, VerbosityLevel, type PDFDocumentProxy, type RenderTask } from 'pdfjs-dist';
import workerUrl from 'pdfjs-dist/build/pdf.worker.min.mjs?url';
import { VIEW_LIMITS } from './view-limits';

/**
 * Stands in for pdf.js's loader of CMaps, standard fonts and WebAssembly decoders: it fetches none,
 * so that a PDF cannot make the console load anything. A PDF that needs one is drawn without it
 * (a missing font falls back to a system font; a JPX or JBIG2 image is left out).
 */
class NoBinaryData {
  fetch({ kind }: { kind: string }): Promise<Uint8Array> {
    return Promise.reject(new Error(`The viewer loads no ${kind} data.`));
  }
}

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
  // A worker of its own per document, ended on close: no state outlives the viewer.
  const port = new Worker(workerUrl, { type: 'module', name: 'pdf' });
  // pdf.js's typings declare `port` as null only; a Worker is what its code takes. Given a port, pdf.js
  // never falls back to running its worker code on this page's thread.
  const worker = new PDFWorker({ port: port as unknown as null });
  const task = getDocument({
    // pdf.js transfers the buffer to its worker: the caller's copy is detached, not kept twice.
    data: bytes,
    worker,
    verbosity: VerbosityLevel.ERRORS,
    // Nothing beyond the bytes given: no range requests, no prefetch, no streaming from a URL.
    disableRange: true,
    disableStream: true,
    disableAutoFetch: true,
    // No font, CMap, ICC or WebAssembly data from anywhere (NoBinaryData), and no WebAssembly
    // compiled: the console's CSP has no 'wasm-unsafe-eval', and keeps it that way.
    BinaryDataFactory: NoBinaryData,
    useWorkerFetch: false,
    useWasm: false,
    useSystemFonts: true,
    // XFA forms are HTML-like markup: not rendered. Scripting needs pdf.js's sandbox, never loaded here.
    enableXfa: false,
    maxImageSize: VIEW_LIMITS.pdfImageMaxPixels,
    // Pages are drawn here, in the page's own canvas; pdf.js's second (renderer) worker is not used.
    disableWorkerRendering: true,
  });
  let document: PDFDocumentProxy;
  try {
    document = await task.promise;
  } catch (error) {
    await task.destroy();
    port.terminate();
    throw new PdfRefusedError(error instanceof Error && error.name === 'PasswordException' ? 'encrypted' : 'unreadable');
  }
  if (document.numPages > VIEW_LIMITS.pdfMaxPages) {
    await task.destroy();
    port.terminate();
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
      await task.destroy();
      port.terminate();
    },
  };
}
