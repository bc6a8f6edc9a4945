/**
 * The viewer's dispatch: what a decrypted file is shown as, or why it is not, decided from its bytes
 * (file-kind.ts) and the viewer's limits (view-limits.ts) before any decoder sees it.
 */
import { byteLimitOf, plainTextOf, sniffFileKind, SNIFF_BYTES, type ClaimedFile, type PictureFormat } from './file-kind';
import { pictureSizeOf, type PictureSize } from './picture-size';
import { VIEW_LIMITS } from './view-limits';

/** Why a file is not shown; each has its sentence (strings.ts `viewer.refused.*`). */
export type ViewRefusal = 'unsupported-type' | 'too-large' | 'not-text' | 'picture-unreadable' | 'too-many-pixels';

export type ViewPlan =
  | { readonly kind: 'picture'; readonly format: PictureFormat; readonly size: PictureSize; readonly bytes: Uint8Array<ArrayBuffer> }
  | { readonly kind: 'pdf'; readonly bytes: Uint8Array<ArrayBuffer> }
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'refused'; readonly reason: ViewRefusal };

async function bytesOf(blob: Blob): Promise<Uint8Array<ArrayBuffer>> {
  return new Uint8Array(await blob.arrayBuffer());
}

/**
 * Reads only the head of `file` to decide, and the whole only when it is a kind the viewer shows and
 * within that kind's byte limit; a picture's declared size is checked before anything decodes it.
 */
export async function planView(file: Blob, claimed: ClaimedFile): Promise<ViewPlan> {
  const kind = sniffFileKind(await bytesOf(file.slice(0, SNIFF_BYTES)), claimed);
  const limit = byteLimitOf(kind);
  if (limit === null) return { kind: 'refused', reason: 'unsupported-type' };
  if (file.size > limit) return { kind: 'refused', reason: 'too-large' };
  const bytes = await bytesOf(file);
  switch (kind.kind) {
    case 'picture': {
      const size = pictureSizeOf(bytes, kind.format);
      if (size === null) return { kind: 'refused', reason: 'picture-unreadable' };
      if (size.width * size.height > VIEW_LIMITS.pictureMaxPixels) return { kind: 'refused', reason: 'too-many-pixels' };
      return { kind: 'picture', format: kind.format, size, bytes };
    }
    case 'pdf':
      return { kind: 'pdf', bytes };
    case 'text': {
      const text = plainTextOf(bytes);
      return text === null ? { kind: 'refused', reason: 'not-text' } : { kind: 'text', text };
    }
    case 'other':
      return { kind: 'refused', reason: 'unsupported-type' };
  }
}
