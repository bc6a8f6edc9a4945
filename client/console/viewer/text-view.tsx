/** A text or CSV file, shown as text: the page's own escaping keeps any markup in it inert. */
import { t } from '../strings';

export function TextView(props: { text: string; name: string }) {
  return (
    <pre class="file-text" data-testid="viewer-text" tabIndex={0} aria-label={t('viewer.label', { name: props.name })}>
      {props.text}
    </pre>
  );
}
