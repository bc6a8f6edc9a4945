/**
 * How both clients read a PDF someone else made, with pdf.js: from bytes already in memory, in a
 * worker of its own served from 'self', with nothing fetched and nothing executed. The console's
 * viewer draws its pages (client/console/viewer/pdf-document.ts); the intake rebuilds a PDF from
 * pictures of them (client/intake/metadata/pdf-pages.ts). Both load this lazily, with pdf.js.
 */
import { getDocument, PDFWorker, VerbosityLevel, type PDFDocumentLoadingTask } from 'pdfjs-dist';
import workerUrl from 'pdfjs-dist/build/pdf.worker.min.mjs?url';

/**
 * Stands in for pdf.js's loader of CMaps, standard fonts and WebAssembly decoders: it fetches none,
 * so that a PDF cannot make a page load anything. A PDF that needs one is drawn without it (a missing
 * font falls back to a system font; a JPX or JBIG2 image is left out).
 */
class NoBinaryData {
  fetch({ kind }: { kind: string }): Promise<Uint8Array> {
    return Promise.reject(new Error(`No ${kind} data is loaded for a PDF.`));
  }
}

export interface PdfReading {
  readonly task: PDFDocumentLoadingTask;
  /** Ends the reading and its worker: nothing of the document outlives it. */
  end(): Promise<void>;
}

/**
 * Starts reading `data`, which pdf.js transfers (detaches) to its worker: pass a copy to keep the
 * original. `maxImageSize` bounds the pixels of an image in the PDF.
 */
export function readPdf(data: Uint8Array, options: { readonly maxImageSize?: number } = {}): PdfReading {
  const port = new Worker(workerUrl, { type: 'module', name: 'pdf' });
  // pdf.js's typings declare `port` as null only; a Worker is what its code takes. Given a port, pdf.js
  // never falls back to running its worker code on the page's own thread.
  const worker = new PDFWorker({ port: port as unknown as null });
  const task = getDocument({
    data,
    worker,
    verbosity: VerbosityLevel.ERRORS,
    // Nothing beyond the bytes given: no range requests, no prefetch, no streaming from a URL.
    disableRange: true,
    disableStream: true,
    disableAutoFetch: true,
    // No font, CMap, ICC or WebAssembly data from anywhere (NoBinaryData), and no WebAssembly compiled:
    // Tor Browser at "Safer" has none, and neither client's CSP has 'wasm-unsafe-eval'.
    BinaryDataFactory: NoBinaryData,
    useWorkerFetch: false,
    useWasm: false,
    useSystemFonts: true,
    // XFA forms are HTML-like markup: not rendered. Scripting needs pdf.js's sandbox, never loaded.
    enableXfa: false,
    ...(options.maxImageSize === undefined ? {} : { maxImageSize: options.maxImageSize }),
    // Pages are drawn in the page's own canvas; pdf.js's second (renderer) worker is not used.
    disableWorkerRendering: true,
  });
  return {
    task,
    async end() {
      await task.destroy();
      port.terminate();
    },
  };
}
