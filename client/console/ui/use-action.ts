/** Runs a user's action: the page shows it busy, and any failure as a sentence instead of a crash. */
import { useState } from 'preact/hooks';
import { errorText, type Attempt } from './error-text';

export interface Action {
  readonly busy: boolean;
  readonly error: string | null;
  /** `attempt` names the secret the person typed, so that a refusal says which one was wrong. */
  run(work: () => Promise<void>, attempt?: Attempt): Promise<void>;
  fail(message: string | null): void;
}

export function useAction(): Action {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  return {
    busy,
    error,
    fail: setError,
    async run(work, attempt) {
      setBusy(true);
      setError(null);
      try {
        await work();
      } catch (cause) {
        setError(errorText(cause, attempt));
      } finally {
        setBusy(false);
      }
    },
  };
}
