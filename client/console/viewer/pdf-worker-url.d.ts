/** Vite's `?url` import: the file is emitted as a hashed asset under /assets and its served path returned. */
declare module 'pdfjs-dist/build/pdf.worker.min.mjs?url' {
  const url: string;
  export default url;
}
