/**
 * PDF, "keep only what the pages show": each page is drawn by pdf.js and a new PDF is made of those
 * pictures alone (as Dangerzone does), so that no text layer, font, link, form, script, attached file,
 * metadata or earlier revision survives. The only file of the intake that imports pdf.js; it reads the
 * PDF from bytes already in memory, in a worker served from 'self', with nothing fetched, no
 * WebAssembly and no scripting. Loaded only when a PDF is cleaned this way (pdf-file.ts imports it
 * dynamically), so that the intake's first page stays small.
 */
import { PDFDocument } from 'pdf-lib';
import { AnnotationMode, type PDFDocumentProxy } from 'pdfjs-dist';
import { readPdf } from '../../shared/pdf-reading';
import { savePdf } from './pdf';
import { MAX_PDF_PAGES, PdfCleaningError, type PdfCleanResult } from './pdf-result';

/** 150 dots per inch keeps small print readable; a PDF's unit is 1/72 inch. */
const PAGE_SCALE = 150 / 72;
/** A page larger than A3 at 150 dpi is drawn smaller, to bound the memory one page takes. */
const MAX_PAGE_PIXELS = 2480 * 3508;
/** Small print stays legible at 0.75; at 0.9 a page of dense text took half as much again (about 560 KiB against 375). */
const JPEG_QUALITY = 0.75;

export interface PageProgress {
  readonly done: number;
  readonly total: number;
}

/**
 * Tor Browser (and Firefox resisting fingerprinting) may hand back a blank or noisy picture when a
 * page reads what it drew; page pictures made then would be blank. A known pattern is read back first.
 */
export function canvasReadable(): boolean {
  const canvas = document.createElement('canvas');
  canvas.width = 2;
  canvas.height = 1;
  const context = canvas.getContext('2d', { willReadFrequently: true });
  if (context === null) return false;
  context.fillStyle = '#ff0000';
  context.fillRect(0, 0, 1, 1);
  context.fillStyle = '#0000ff';
  context.fillRect(1, 0, 1, 1);
  const pixels = [...context.getImageData(0, 0, 2, 1).data];
  return pixels.join(',') === '255,0,0,255,0,0,255,255';
}

function toJpeg(canvas: HTMLCanvasElement): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    canvas.toBlob(
      (blob) => {
        if (blob === null) reject(new Error('The page could not be encoded.'));
        else blob.arrayBuffer().then((buffer) => resolve(new Uint8Array(buffer)), reject);
      },
      'image/jpeg',
      JPEG_QUALITY,
    );
  });
}

/** Rebuilds a PDF from pictures of its pages; `onProgress` is told after each page. */
export async function cleanPdfToPageImages(bytes: Uint8Array, onProgress: (progress: PageProgress) => void = () => undefined): Promise<PdfCleanResult> {
  if (!canvasReadable()) throw new PdfCleaningError('pdf-canvas-blocked');
  // A copy: pdf.js detaches the buffer it reads, and the caller keeps the original. Ended when done.
  const reading = readPdf(bytes.slice());
  try {
    let document: PDFDocumentProxy;
    try {
      document = await reading.task.promise;
    } catch (cause) {
      throw new PdfCleaningError(cause instanceof Error && cause.name === 'PasswordException' ? 'pdf-encrypted' : 'pdf-unreadable', { cause });
    }
    const total = document.numPages;
    if (total > MAX_PDF_PAGES) throw new PdfCleaningError('pdf-too-many-pages');
    if (total === 0) throw new PdfCleaningError('pdf-unreadable');
    onProgress({ done: 0, total });
    const output = await PDFDocument.create({ updateMetadata: false });
    const canvas = window.document.createElement('canvas');
    for (let pageNumber = 1; pageNumber <= total; pageNumber++) {
      const page = await document.getPage(pageNumber);
      try {
        const size = page.getViewport({ scale: 1 });
        const scale = Math.min(PAGE_SCALE, Math.sqrt(MAX_PAGE_PIXELS / Math.max(1, size.width * size.height)));
        const viewport = page.getViewport({ scale });
        canvas.width = Math.max(1, Math.floor(viewport.width));
        canvas.height = Math.max(1, Math.floor(viewport.height));
        const context = canvas.getContext('2d');
        if (context === null) throw new PdfCleaningError('pdf-canvas-blocked');
        // A white sheet first: JPEG has no transparency, and a page's background is paper.
        context.fillStyle = '#ffffff';
        context.fillRect(0, 0, canvas.width, canvas.height);
        // Annotations are drawn as they look on the page, never kept as annotations.
        await page.render({ canvas, viewport, annotationMode: AnnotationMode.ENABLE }).promise;
        const image = await output.embedJpg(await toJpeg(canvas));
        output.addPage([size.width, size.height]).drawImage(image, { x: 0, y: 0, width: size.width, height: size.height });
      } catch (cause) {
        if (cause instanceof PdfCleaningError) throw cause;
        throw new PdfCleaningError('pdf-unreadable', { cause });
      } finally {
        page.cleanup();
      }
      onProgress({ done: pageNumber, total });
    }
    canvas.width = 0;
    canvas.height = 0;
    return { bytes: await savePdf(output), removed: ['pages-as-images'], pageCount: total };
  } finally {
    await reading.end();
  }
}
