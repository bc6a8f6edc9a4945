/**
 * The console's viewer of a decrypted file: dispatches to the view of its kind (view-plan.ts decides
 * which), inside this tab only. pdf.js is fetched only when a PDF is viewed. Unmounting it (Close)
 * drops every reference to the decrypted bytes.
 */
import type { ComponentType } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { t } from '../strings';
import type { ClaimedFile } from './file-kind';
import { PictureView } from './picture-view';
import { RefusalView } from './refusal-view';
import { TextView } from './text-view';
import { planView, type ViewPlan } from './view-plan';

type PdfViewComponent = ComponentType<{ bytes: Uint8Array<ArrayBuffer>; name: string }>;

/** What the viewer shows: the plan, with the PDF view once its module (and pdf.js) has loaded. */
type Shown = { readonly plan: Exclude<ViewPlan, { kind: 'pdf' }> } | { readonly plan: Extract<ViewPlan, { kind: 'pdf' }>; readonly PdfView: PdfViewComponent };

function ShownFile(props: { shown: Shown; name: string }) {
  const { shown } = props;
  if ('PdfView' in shown) return <shown.PdfView bytes={shown.plan.bytes} name={props.name} />;
  const { plan } = shown;
  switch (plan.kind) {
    case 'picture':
      return <PictureView bytes={plan.bytes} format={plan.format} size={plan.size} name={props.name} />;
    case 'text':
      return <TextView text={plan.text} name={props.name} />;
    case 'refused':
      return <RefusalView reason={plan.reason} />;
  }
}

export function FileViewer(props: { file: Blob; claimed: ClaimedFile; name: string; onClose: () => void }) {
  const [shown, setShown] = useState<Shown | null>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    let unmounted = false;
    const prepare = async (): Promise<Shown> => {
      const plan = await planView(props.file, props.claimed);
      if (plan.kind !== 'pdf') return { plan };
      const { PdfView } = await import('./pdf-view');
      return { plan, PdfView };
    };
    prepare().then(
      (prepared) => {
        if (!unmounted) setShown(prepared);
      },
      () => {
        if (!unmounted) setFailed(true);
      },
    );
    return () => {
      unmounted = true;
    };
  }, [props.file]);
  return (
    <section class="file-viewer" aria-label={t('viewer.label', { name: props.name })} data-testid="file-viewer">
      <p class="help">
        {t('viewer.help')}{' '}
        <button type="button" onClick={props.onClose} aria-label={t('viewer.closeNamed', { name: props.name })}>
          {t('viewer.close')}
        </button>
      </p>
      {failed ? <RefusalView reason="view-failed" /> : shown === null ? <p role="status">{t('viewer.preparing')}</p> : <ShownFile shown={shown} name={props.name} />}
    </section>
  );
}
