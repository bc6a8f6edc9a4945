/**
 * What a PDF cleaner gives back or why it refused, apart from the cleaners themselves: the intake's
 * first page needs these without loading pdf-lib or pdf.js, which load only when a PDF is cleaned.
 */
import type { RemovedItem } from './report';

/** Pages drawn at most in "keep only what the pages show": pdf.js without a JIT (Tor Browser at "Safer") takes seconds per page. */
export const MAX_PDF_PAGES = 200;

/** Why a PDF was left as it is: it is refused whole, never half-cleaned. */
export type PdfProblemCode = 'pdf-encrypted' | 'pdf-unreadable' | 'pdf-too-many-pages' | 'pdf-canvas-blocked';

export class PdfCleaningError extends Error {
  override readonly name = 'PdfCleaningError';
  constructor(readonly code: PdfProblemCode, options?: ErrorOptions) {
    super(`The PDF was not cleaned: ${code}`, options);
  }
}

export interface PdfCleanResult {
  readonly bytes: Uint8Array<ArrayBuffer>;
  readonly removed: readonly RemovedItem[];
  readonly pageCount: number;
}

