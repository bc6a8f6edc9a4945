/** A failure in words, announced as soon as it appears (role=alert); nothing while there is none. */
export function ErrorMessage(props: { error: string | null }) {
  if (!props.error) return null;
  return (
    <p class="error" role="alert">
      {props.error}
    </p>
  );
}
