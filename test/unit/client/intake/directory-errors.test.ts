import { describe, expect, it } from 'vitest';
import { directoryErrorKey } from '../../../../client/intake/directory-errors';
import { en } from '../../../../client/intake/i18n/en';

describe('the words for a directory that did not verify', () => {
  it('when the site serves another body’s directory or an older one, then the reporter is told so in plain words', () => {
    expect(directoryErrorKey('directory-wrong-body')).toBe('error.directory-wrong-body');
    expect(directoryErrorKey('directory-outdated')).toBe('error.directory-outdated');
    // Each still says first what every directory failure says.
    for (const key of ['error.directory-wrong-body', 'error.directory-outdated'] as const) expect(en[key]).toMatch(/^The investigators’ keys could not be verified/);
  });

  it('when a directory fails in any other way, then the general message is used; codes about other things are not the directory’s', () => {
    for (const code of ['directory-expired', 'directory-not-pinned', 'directory-invalid', 'key-expired', 'signature-invalid']) expect(directoryErrorKey(code)).toBe('error.directory');
    for (const code of ['token-checksum-mismatch', 'decryption-failed', 'rate-limited']) expect(directoryErrorKey(code)).toBeNull();
  });
});
