/**
 * A QR code as SVG path data, encoded in this browser (uqr): the `otpauth://` address and its secret
 * never leave the page, and nothing is drawn with a canvas, a data URL or an inline style.
 */
import { encode } from 'uqr';

/** The quiet zone the QR standard asks for around the symbol, in modules. */
export const QUIET_ZONE = 4;

export interface QrCodeDrawing {
  readonly version: number;
  /** Modules across, the quiet zone included: the SVG's view box is this square. */
  readonly size: number;
  /** One subpath per horizontal run of dark modules, nothing for the light ones. */
  readonly darkPath: string;
}

/** Medium error correction: a phone camera reads it off a screen with glare or a smudge. */
export function drawQrCode(text: string): QrCodeDrawing {
  const { version, size, data } = encode(text, { ecc: 'M', border: QUIET_ZONE });
  const runs: string[] = [];
  data.forEach((row, y) => {
    let x = 0;
    while (x < row.length) {
      if (!row[x]) {
        x += 1;
        continue;
      }
      const start = x;
      while (x < row.length && row[x]) x += 1;
      runs.push(`M${start} ${y}h${x - start}v1h-${x - start}z`);
    }
  });
  return { version, size, darkPath: runs.join('') };
}
