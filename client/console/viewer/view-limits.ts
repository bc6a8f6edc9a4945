/**
 * How much the console's viewer takes on, per kind: beyond these a file is not shown (the offline
 * export still opens it). They keep one tab's memory bounded whatever a reporter — or a server that
 * swapped a file — sends; every figure is a size the decoded or rendered form may reach, not a guess
 * at what is useful.
 */
export const VIEW_LIMITS = {
  /** Encoded picture bytes read at most. */
  pictureMaxBytes: 50 * 1024 * 1024,
  /** Decoded pixels at most (4 bytes each: 40 megapixels are 160 MB), checked in the header before decoding. */
  pictureMaxPixels: 40_000_000,
  /** PDF bytes handed to pdf.js at most. */
  pdfMaxBytes: 100 * 1024 * 1024,
  /** Pages a PDF may have to be shown at all. */
  pdfMaxPages: 2_000,
  /** Pixels of one rendered page's canvas at most; a larger page is drawn at a smaller scale. */
  pdfPageMaxPixels: 16_000_000,
  /** Pixels of one image inside a PDF at most (pdf.js skips larger ones). */
  pdfImageMaxPixels: 40_000_000,
  /** Text bytes decoded and shown at most. */
  textMaxBytes: 2 * 1024 * 1024,
} as const;
