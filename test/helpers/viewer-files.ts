/**
 * Files for the console viewer's browser tests, written byte by byte here so that the tests need no
 * encoder: a PNG of a given size, and a two-page PDF that carries JavaScript, a form submission and
 * an external link, which a safe viewer must neither run nor follow.
 */
import { crc32, deflateSync } from 'node:zlib';

function pngChunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const typed = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typed));
  return Buffer.concat([length, typed, crc]);
}

/** An RGB PNG whose left half is LEFT_COLOUR and right half RIGHT_COLOUR. */
export const LEFT_COLOUR = [200, 30, 40] as const;
export const RIGHT_COLOUR = [20, 60, 210] as const;

export function twoColourPng(width: number, height: number): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8 bits per channel, RGB, deflate, no filter, no interlace
  const rows = Buffer.alloc(height * (1 + width * 3));
  for (let y = 0; y < height; y += 1) {
    const row = y * (1 + width * 3);
    rows[row] = 0; // filter type: none
    for (let x = 0; x < width; x += 1) rows.set(x < width / 2 ? LEFT_COLOUR : RIGHT_COLOUR, row + 1 + x * 3);
  }
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), pngChunk('IHDR', header), pngChunk('IDAT', deflateSync(rows)), pngChunk('IEND', Buffer.alloc(0))]);
}

/** A PDF of these objects (numbered from 1, in order) with a cross-reference table whose offsets are right. */
export function pdfOf(objects: readonly string[], rootObject = 1): Buffer {
  let body = '%PDF-1.7\n%\xe2\xe3\xcf\xd3\n';
  const offsets: number[] = [];
  objects.forEach((object, index) => {
    offsets.push(Buffer.byteLength(body, 'latin1'));
    body += `${index + 1} 0 obj\n${object}\nendobj\n`;
  });
  const xrefAt = Buffer.byteLength(body, 'latin1');
  // Each entry is exactly 20 bytes: 10-digit offset, 5-digit generation, type, two-byte end of line.
  const entries = ['0000000000 65535 f \n', ...offsets.map((offset) => `${String(offset).padStart(10, '0')} 00000 n \n`)];
  body += `xref\n0 ${objects.length + 1}\n${entries.join('')}trailer\n<< /Size ${objects.length + 1} /Root ${rootObject} 0 R >>\nstartxref\n${xrefAt}\n%%EOF\n`;
  return Buffer.from(body, 'latin1');
}

function contentStream(operators: string): string {
  return `<< /Length ${Buffer.byteLength(operators, 'latin1')} >>\nstream\n${operators}\nendstream`;
}

/** The fill colour of page 1 and page 2, as pdf.js draws them (0.5 of 255, rounded). */
export const PDF_PAGE_COLOURS = [
  [0, 128, 0],
  [0, 0, 128],
] as const;
export const PDF_PAGE_SIZE = { width: 300, height: 200 } as const;

/**
 * Two pages, each a filled rectangle with a line of Helvetica (not embedded: the viewer must fetch no
 * font for it). The document opens with JavaScript that alerts, logs and submits to example.invalid
 * (an /OpenAction and a named script), page 1 has a page-open action submitting a form there and a
 * link annotation to http://example.invalid/ over the whole page. `sentinel` is in every script.
 */
export function pdfWithScriptsAndLink(sentinel: string): Buffer {
  const script = `app.alert('${sentinel}'); console.println('${sentinel}'); this.submitForm('http://example.invalid/${sentinel}'); app.launchURL('http://example.invalid/launch', true);`;
  const { width, height } = PDF_PAGE_SIZE;
  const page = (contents: number, extra: string) => `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 ${width} ${height}] /Resources << /Font << /F1 5 0 R >> >> /Contents ${contents} 0 R ${extra}>>`;
  return pdfOf([
    /* 1 */ `<< /Type /Catalog /Pages 2 0 R /OpenAction 6 0 R /Names << /JavaScript << /Names [(opening) 7 0 R] >> >> >>`,
    /* 2 */ '<< /Type /Pages /Kids [3 0 R 4 0 R] /Count 2 >>',
    /* 3 */ page(8, '/Annots [9 0 R] /AA << /O 10 0 R >> '),
    /* 4 */ page(11, ''),
    /* 5 */ '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>',
    /* 6 */ `<< /S /JavaScript /JS (${script}) >>`,
    /* 7 */ `<< /S /JavaScript /JS (${script}) >>`,
    /* 8 */ contentStream('0 0.5 0 rg 10 10 280 180 re f BT /F1 18 Tf 1 1 1 rg 30 100 Td (Page one of the minutes) Tj ET'),
    /* 9 */ '<< /Type /Annot /Subtype /Link /Rect [10 10 290 190] /Border [0 0 0] /A << /S /URI /URI (http://example.invalid/) >> >>',
    /* 10 */ `<< /S /SubmitForm /F << /FS /URL /F (http://example.invalid/form) >> /Flags 4 >>`,
    /* 11 */ contentStream('0 0 0.5 rg 10 10 280 180 re f BT /F1 18 Tf 1 1 1 rg 30 100 Td (Page two) Tj ET'),
  ]);
}
