/** What the viewer says instead of showing a file: why not, and where to open it instead (the offline export). */
import { t } from '../strings';
import type { ViewRefusal } from './view-plan';

/** Every reason a file is not shown: refused before decoding (ViewRefusal), by the decoder itself, or the viewer failed to load. */
export type ShownRefusal = ViewRefusal | 'picture-undecodable' | 'pdf-unreadable' | 'pdf-encrypted' | 'pdf-too-many-pages' | 'view-failed';

export function RefusalView(props: { reason: ShownRefusal }) {
  return (
    <p class="warning" data-testid="viewer-refusal" data-reason={props.reason}>
      {t(`viewer.refused.${props.reason}`)} {t('viewer.offline')}
    </p>
  );
}
