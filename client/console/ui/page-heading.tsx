/**
 * A page's h1: it takes the focus when the page appears, so that screen readers announce the new
 * page and keyboard users continue from its top; the document title follows it. The first page
 * leaves the focus where the browser put it, so that the skip link stays the first stop.
 */
import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import { t } from '../strings';

let pagesShown = 0;

export function PageHeading(props: { id: string; title: string; children?: ComponentChildren }) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${props.title} – ${t('app.title')}`;
    if (pagesShown++ > 0) ref.current?.focus();
  }, [props.title]);
  return (
    <h1 id={props.id} ref={ref} tabIndex={-1}>
      {props.children ?? props.title}
    </h1>
  );
}
