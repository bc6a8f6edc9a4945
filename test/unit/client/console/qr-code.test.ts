/** The enrolment QR code: drawn in the browser, the same for the same address, dark modules only, and decodable. */
import { describe, expect, it } from 'vitest';
import { encode } from 'uqr';
import { QUIET_ZONE, drawQrCode } from '../../../../client/console/ui/qr-code';

const URI = 'otpauth://totp/Candor:alice?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=Candor&algorithm=SHA1&digits=6&period=30';

/** The modules the path paints, read back from its `M x y h n v1 h-n z` runs. */
function paintedModules(path: string, size: number): boolean[][] {
  const grid = Array.from({ length: size }, () => Array.from({ length: size }, () => false));
  const runs = [...path.matchAll(/M(\d+) (\d+)h(\d+)v1h-(\d+)z/g)];
  expect(runs.map((run) => run[0]).join('')).toBe(path);
  for (const [, x, y, width, back] of runs) {
    expect(back).toBe(width);
    for (let i = 0; i < Number(width); i += 1) grid[Number(y)]![Number(x) + i] = true;
  }
  return grid;
}

describe('drawQrCode', () => {
  it('when the same address is drawn twice, then the drawing is the same', () => {
    expect(drawQrCode(URI)).toEqual(drawQrCode(URI));
  });

  it('when an otpauth address is drawn, then its size is the version’s module count plus the quiet zone', () => {
    const { version, size } = drawQrCode(URI);
    expect(version).toBeGreaterThanOrEqual(1);
    expect(version).toBeLessThanOrEqual(40);
    expect(size).toBe(17 + 4 * version + 2 * QUIET_ZONE);
  });

  it('when the path is read back, then it paints exactly the dark modules of the encoded symbol, and the quiet zone stays light', () => {
    const { size, darkPath } = drawQrCode(URI);
    const painted = paintedModules(darkPath, size);
    expect(painted).toEqual(encode(URI, { ecc: 'M', border: QUIET_ZONE }).data);
    const inQuietZone = (n: number) => n < QUIET_ZONE || n >= size - QUIET_ZONE;
    expect(painted.some((row, y) => row.some((dark, x) => dark && (inQuietZone(x) || inQuietZone(y))))).toBe(false);
  });

  it('when the symbol is drawn, then its three finder patterns are where a reader looks for them', () => {
    const { size, darkPath } = drawQrCode(URI);
    const painted = paintedModules(darkPath, size);
    const finderRow = [true, true, true, true, true, true, true, false];
    const q = QUIET_ZONE;
    expect(painted[q]!.slice(q, q + 8)).toEqual(finderRow);
    expect(painted[q]!.slice(size - q - 7, size - q)).toEqual(finderRow.slice(0, 7));
    expect(painted[size - q - 1]!.slice(q, q + 8)).toEqual(finderRow);
  });

  it('when a known address is drawn, then the drawing matches the recorded one', () => {
    expect(drawQrCode('otpauth://totp/Candor:a?secret=AAAA')).toMatchInlineSnapshot(`
      {
        "darkPath": "M4 4h7v1h-7zM15 4h2v1h-2zM19 4h2v1h-2zM22 4h3v1h-3zM26 4h7v1h-7zM4 5h1v1h-1zM10 5h1v1h-1zM13 5h1v1h-1zM15 5h2v1h-2zM22 5h1v1h-1zM26 5h1v1h-1zM32 5h1v1h-1zM4 6h1v1h-1zM6 6h3v1h-3zM10 6h1v1h-1zM12 6h1v1h-1zM14 6h2v1h-2zM18 6h1v1h-1zM20 6h1v1h-1zM23 6h1v1h-1zM26 6h1v1h-1zM28 6h3v1h-3zM32 6h1v1h-1zM4 7h1v1h-1zM6 7h3v1h-3zM10 7h1v1h-1zM12 7h2v1h-2zM21 7h4v1h-4zM26 7h1v1h-1zM28 7h3v1h-3zM32 7h1v1h-1zM4 8h1v1h-1zM6 8h3v1h-3zM10 8h1v1h-1zM12 8h1v1h-1zM14 8h2v1h-2zM17 8h3v1h-3zM21 8h1v1h-1zM23 8h1v1h-1zM26 8h1v1h-1zM28 8h3v1h-3zM32 8h1v1h-1zM4 9h1v1h-1zM10 9h1v1h-1zM12 9h1v1h-1zM15 9h7v1h-7zM26 9h1v1h-1zM32 9h1v1h-1zM4 10h7v1h-7zM12 10h1v1h-1zM14 10h1v1h-1zM16 10h1v1h-1zM18 10h1v1h-1zM20 10h1v1h-1zM22 10h1v1h-1zM24 10h1v1h-1zM26 10h7v1h-7zM12 11h1v1h-1zM16 11h2v1h-2zM19 11h1v1h-1zM23 11h1v1h-1zM4 12h1v1h-1zM6 12h5v1h-5zM13 12h1v1h-1zM18 12h2v1h-2zM21 12h1v1h-1zM24 12h1v1h-1zM26 12h5v1h-5zM4 13h4v1h-4zM9 13h1v1h-1zM11 13h1v1h-1zM13 13h2v1h-2zM19 13h2v1h-2zM23 13h2v1h-2zM26 13h3v1h-3zM31 13h2v1h-2zM4 14h1v1h-1zM6 14h2v1h-2zM10 14h1v1h-1zM13 14h2v1h-2zM19 14h4v1h-4zM24 14h1v1h-1zM27 14h1v1h-1zM29 14h1v1h-1zM4 15h1v1h-1zM7 15h1v1h-1zM9 15h1v1h-1zM12 15h2v1h-2zM15 15h1v1h-1zM18 15h2v1h-2zM23 15h3v1h-3zM27 15h1v1h-1zM29 15h1v1h-1zM31 15h1v1h-1zM5 16h2v1h-2zM8 16h1v1h-1zM10 16h2v1h-2zM13 16h4v1h-4zM19 16h1v1h-1zM21 16h1v1h-1zM23 16h1v1h-1zM29 16h3v1h-3zM4 17h4v1h-4zM11 17h2v1h-2zM14 17h1v1h-1zM16 17h5v1h-5zM22 17h3v1h-3zM26 17h4v1h-4zM32 17h1v1h-1zM4 18h2v1h-2zM7 18h2v1h-2zM10 18h1v1h-1zM14 18h7v1h-7zM25 18h1v1h-1zM28 18h2v1h-2zM4 19h2v1h-2zM12 19h1v1h-1zM14 19h1v1h-1zM16 19h2v1h-2zM19 19h1v1h-1zM24 19h2v1h-2zM27 19h3v1h-3zM31 19h1v1h-1zM5 20h1v1h-1zM10 20h4v1h-4zM18 20h2v1h-2zM21 20h1v1h-1zM25 20h1v1h-1zM27 20h1v1h-1zM29 20h2v1h-2zM4 21h1v1h-1zM8 21h1v1h-1zM11 21h1v1h-1zM13 21h1v1h-1zM15 21h2v1h-2zM19 21h2v1h-2zM22 21h8v1h-8zM32 21h1v1h-1zM4 22h1v1h-1zM7 22h1v1h-1zM10 22h2v1h-2zM14 22h3v1h-3zM19 22h4v1h-4zM26 22h2v1h-2zM4 23h1v1h-1zM8 23h2v1h-2zM11 23h1v1h-1zM13 23h1v1h-1zM18 23h2v1h-2zM23 23h2v1h-2zM26 23h2v1h-2zM29 23h1v1h-1zM32 23h1v1h-1zM4 24h1v1h-1zM6 24h2v1h-2zM9 24h8v1h-8zM19 24h1v1h-1zM21 24h1v1h-1zM23 24h6v1h-6zM30 24h1v1h-1zM32 24h1v1h-1zM12 25h1v1h-1zM16 25h5v1h-5zM24 25h1v1h-1zM28 25h1v1h-1zM30 25h3v1h-3zM4 26h7v1h-7zM13 26h3v1h-3zM17 26h8v1h-8zM26 26h1v1h-1zM28 26h1v1h-1zM4 27h1v1h-1zM10 27h1v1h-1zM12 27h1v1h-1zM15 27h3v1h-3zM19 27h2v1h-2zM22 27h3v1h-3zM28 27h1v1h-1zM32 27h1v1h-1zM4 28h1v1h-1zM6 28h3v1h-3zM10 28h1v1h-1zM12 28h3v1h-3zM16 28h1v1h-1zM18 28h1v1h-1zM20 28h2v1h-2zM24 28h8v1h-8zM4 29h1v1h-1zM6 29h3v1h-3zM10 29h1v1h-1zM12 29h6v1h-6zM22 29h2v1h-2zM30 29h3v1h-3zM4 30h1v1h-1zM6 30h3v1h-3zM10 30h1v1h-1zM12 30h3v1h-3zM19 30h1v1h-1zM25 30h1v1h-1zM28 30h1v1h-1zM30 30h2v1h-2zM4 31h1v1h-1zM10 31h1v1h-1zM14 31h1v1h-1zM16 31h2v1h-2zM19 31h2v1h-2zM24 31h2v1h-2zM27 31h1v1h-1zM31 31h1v1h-1zM4 32h7v1h-7zM12 32h1v1h-1zM14 32h3v1h-3zM18 32h4v1h-4zM23 32h1v1h-1zM26 32h2v1h-2zM30 32h1v1h-1z",
        "size": 37,
        "version": 3,
      }
    `);
  });
});
