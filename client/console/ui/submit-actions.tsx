/** A form's row of buttons: its primary submit button first, then any others the form adds. */
import type { ComponentChildren } from 'preact';

export function SubmitActions(props: { label: string; disabled: boolean; children?: ComponentChildren }) {
  return (
    <div class="actions">
      <button type="submit" class="primary" disabled={props.disabled}>
        {props.label}
      </button>
      {props.children}
    </div>
  );
}
