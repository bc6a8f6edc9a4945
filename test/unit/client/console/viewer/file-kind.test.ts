/** What the viewer takes a decrypted file for: its bytes decide, never the reporter's claim, and text must be both claimed and UTF-8. */
import { describe, expect, it } from 'vitest';
import { isClaimedText, plainTextOf, sniffFileKind } from '../../../../../client/console/viewer/file-kind';
import { gifHead, jpegHead, pngHead, webpHead } from './picture-headers.data';

const utf8 = (text: string) => new TextEncoder().encode(text);
const unclaimed = { name: null, type: null };

describe('sniffing a decrypted file', () => {
  it('when the bytes start with a picture format’s magic number, then that is the format, whatever the name and type claim', () => {
    const claimed = { name: 'notes.txt', type: 'text/plain' };
    expect(sniffFileKind(jpegHead(10, 10), claimed)).toEqual({ kind: 'picture', format: 'jpeg' });
    expect(sniffFileKind(pngHead(10, 10), claimed)).toEqual({ kind: 'picture', format: 'png' });
    expect(sniffFileKind(gifHead(10, 10), claimed)).toEqual({ kind: 'picture', format: 'gif' });
    expect(sniffFileKind(webpHead('VP8L', 10, 10), claimed)).toEqual({ kind: 'picture', format: 'webp' });
  });

  it('when a file is named and typed as a picture but its bytes are not one, then it is not taken for a picture', () => {
    expect(sniffFileKind(utf8('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'), { name: 'photo.png', type: 'image/png' })).toEqual({ kind: 'other' });
    expect(sniffFileKind(utf8('RIFF\0\0\0\0AVI LIST'), { name: 'photo.webp', type: 'image/webp' })).toEqual({ kind: 'other' });
  });

  it('when %PDF- starts the file or comes within its first KiB, then it is a PDF, even if named otherwise', () => {
    expect(sniffFileKind(utf8('%PDF-1.7\n'), { name: 'invoice.docx', type: 'application/msword' })).toEqual({ kind: 'pdf' });
    expect(sniffFileKind(utf8(`${' '.repeat(900)}%PDF-1.4`), unclaimed)).toEqual({ kind: 'pdf' });
    expect(sniffFileKind(utf8(`${' '.repeat(1100)}%PDF-1.4`).subarray(0, 1024), unclaimed)).toEqual({ kind: 'other' });
  });

  it('when a file has no magic number, then it is text only if its type is text/* or its name ends .txt or .csv', () => {
    const plain = utf8('Minutes of the tender committee');
    expect(sniffFileKind(plain, { name: 'minutes', type: 'text/plain' })).toEqual({ kind: 'text' });
    expect(sniffFileKind(plain, { name: 'LEDGER.CSV', type: '' })).toEqual({ kind: 'text' });
    expect(sniffFileKind(plain, { name: 'minutes.txt', type: null })).toEqual({ kind: 'text' });
    expect(sniffFileKind(plain, { name: 'minutes.html', type: 'application/xhtml+xml' })).toEqual({ kind: 'other' });
    expect(sniffFileKind(plain, unclaimed)).toEqual({ kind: 'other' });
    expect(isClaimedText({ name: 'a.txt.exe', type: 'application/octet-stream' })).toBe(false);
  });

  it('when bytes are UTF-8 without NUL, then they are text; with a NUL or invalid UTF-8, they are not', () => {
    expect(plainTextOf(utf8('Łódź;12,50 €\nBaño;3'))).toBe('Łódź;12,50 €\nBaño;3');
    expect(plainTextOf(new Uint8Array([0x61, 0x00, 0x62]))).toBeNull();
    expect(plainTextOf(new Uint8Array([0x61, 0xe9, 0x62]))).toBeNull(); // Latin-1 é
    expect(plainTextOf(new Uint8Array([0xff, 0xfe, 0x61, 0x00]))).toBeNull(); // UTF-16
  });
});
