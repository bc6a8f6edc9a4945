/**
 * Cleans a picked PDF the way the reporter chose: "remove hidden information" (pdf.ts, the default:
 * text and structure kept) or "keep only what the pages show" (pdf-pages.ts: pictures of the pages).
 */
import type { CleanedFile, CleanOptions } from './cleaned-file';
import { PdfCleaningError, type PdfCleanResult } from './pdf-result';
import type { CleaningMode, MetadataAdvice } from './report';

export const DEFAULT_PDF_MODE: CleaningMode = 'hidden-information';

const PROBLEM_ADVICE: Readonly<Record<PdfCleaningError['code'], MetadataAdvice>> = {
  'pdf-encrypted': 'pdf-encrypted',
  'pdf-unreadable': 'pdf-unreadable',
  'pdf-too-many-pages': 'pdf-too-many-pages',
  'pdf-canvas-blocked': 'pdf-canvas-blocked',
};

/** pdf-lib, and pdf.js even more, are large: loaded only when a PDF is picked, pdf.js only for pictures of the pages. */
async function clean(bytes: Uint8Array<ArrayBuffer>, mode: CleaningMode, options: CleanOptions): Promise<PdfCleanResult> {
  if (mode === 'hidden-information') return (await import('./pdf')).cleanPdf(bytes);
  return (await import('./pdf-pages')).cleanPdfToPageImages(bytes, options.onPageProgress);
}

/** Cleans `bytes`, the content of `original`; a PDF that cannot be cleaned whole is left as it is and said so. */
export async function cleanPdfFile(original: File, bytes: Uint8Array<ArrayBuffer>, options: CleanOptions): Promise<CleanedFile> {
  const mode = options.pdfMode ?? DEFAULT_PDF_MODE;
  let result: PdfCleanResult;
  try {
    result = await clean(bytes, mode, options);
  } catch (error) {
    const advice = error instanceof PdfCleaningError ? PROBLEM_ADVICE[error.code] : 'pdf-unreadable';
    return { original, file: original, report: { format: 'pdf', status: 'could-not-clean', removed: [], advice, mode } };
  }
  // Even with nothing hidden found the rewritten file is sent: it is known to hold only what was kept.
  const status = result.removed.length === 0 ? 'nothing-found' : 'cleaned';
  return { original, file: new Blob([result.bytes], { type: 'application/pdf' }), report: { format: 'pdf', status, removed: result.removed, advice: 'pdf', mode } };
}
