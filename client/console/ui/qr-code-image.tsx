/** A QR code as an inline SVG image with an accessible name; its colours come from styles.css (the CSP forbids inline styles). */
import { useMemo } from 'preact/hooks';
import { drawQrCode } from './qr-code';

export function QrCodeImage(props: { text: string; label: string }) {
  const { size, darkPath } = useMemo(() => drawQrCode(props.text), [props.text]);
  return (
    <svg class="qr-code" viewBox={`0 0 ${size} ${size}`} role="img" aria-label={props.label} data-testid="totp-qr-code" shape-rendering="crispEdges">
      <rect class="qr-light" width={size} height={size} />
      <path class="qr-dark" d={darkPath} />
    </svg>
  );
}
