/** Words for a directory that did not verify: why nothing was encrypted, as plainly as the cause allows. */
import type { MessageKey } from './i18n/index';

/** The message for a CryptoError code met while verifying a directory; null for a code that is not about one. */
export function directoryErrorKey(code: string): MessageKey | null {
  if (code === 'directory-wrong-body') return 'error.directory-wrong-body';
  if (code === 'directory-outdated') return 'error.directory-outdated';
  if (code.startsWith('directory-') || code.startsWith('key-') || code === 'signature-invalid') return 'error.directory';
  return null;
}
