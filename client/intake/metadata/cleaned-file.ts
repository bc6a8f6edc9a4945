/** What cleaning gives back, and how to ask for it: shared by the entry (index.ts) and each kind's cleaner. */
import type { PageProgress } from './pdf-pages';
import type { CleaningMode, MetadataReport } from './report';

export interface CleanedFile {
  /** The file as picked: its name and type go, encrypted, into the report document. */
  readonly original: File;
  /** What is encrypted and sent: the original itself when nothing was removed. */
  readonly file: Blob;
  readonly report: MetadataReport;
}

/** How to clean: the reporter's choice for a PDF, and who is told how far drawing its pages got. */
export interface CleanOptions {
  readonly pdfMode?: CleaningMode;
  readonly onPageProgress?: (progress: PageProgress) => void;
}
