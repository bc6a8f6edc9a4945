/**
 * A picture, decoded by the browser from bytes in memory and redrawn on a canvas: the original file
 * never reaches an <img>, a URL or the disk, and what is shown is only its pixels (metadata, ICC
 * tricks aside, and later frames of an animation are not).
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { t } from '../strings';
import type { PictureFormat } from './file-kind';
import type { PictureSize } from './picture-size';
import { RefusalView } from './refusal-view';
import { VIEW_LIMITS } from './view-limits';

const MEDIA_TYPE: Readonly<Record<PictureFormat, string>> = { jpeg: 'image/jpeg', png: 'image/png', gif: 'image/gif', webp: 'image/webp' };

/** Decodes and draws; false if the browser cannot decode it or it decodes larger than the limit. */
async function drawPicture(bytes: Uint8Array<ArrayBuffer>, format: PictureFormat, canvas: HTMLCanvasElement): Promise<boolean> {
  let bitmap: ImageBitmap;
  try {
    // The type is the sniffed one, not the reporter's claim.
    bitmap = await createImageBitmap(new Blob([bytes], { type: MEDIA_TYPE[format] }));
  } catch {
    // The browser's decoder refused the bytes: the viewer says so, there is nothing more to learn.
    return false;
  }
  try {
    if (bitmap.width * bitmap.height > VIEW_LIMITS.pictureMaxPixels) return false;
    canvas.width = bitmap.width;
    canvas.height = bitmap.height;
    const context = canvas.getContext('2d');
    if (context === null) return false;
    context.drawImage(bitmap, 0, 0);
    return true;
  } finally {
    bitmap.close();
  }
}

export function PictureView(props: { bytes: Uint8Array<ArrayBuffer>; format: PictureFormat; size: PictureSize; name: string }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const [state, setState] = useState<'drawing' | 'drawn' | 'failed'>('drawing');
  useEffect(() => {
    let unmounted = false;
    const target = canvas.current;
    if (target === null) return;
    void drawPicture(props.bytes, props.format, target).then((drawn) => {
      if (!unmounted) setState(drawn ? 'drawn' : 'failed');
    });
    return () => {
      unmounted = true;
      // Frees the decoded pixels at once rather than when the element is collected.
      target.width = 0;
      target.height = 0;
    };
  }, [props.bytes, props.format]);
  if (state === 'failed') return <RefusalView reason="picture-undecodable" />;
  return (
    <canvas
      ref={canvas}
      class="viewer-canvas"
      role="img"
      data-testid="viewer-picture"
      data-state={state}
      aria-label={t('viewer.picture', { name: props.name, width: props.size.width, height: props.size.height })}
    />
  );
}
