/** The code a picture cleaner refuses malformed input with, for tests that feed it broken files. */
import { MalformedImageError, type MalformedImageCode } from '../../client/intake/metadata/report';

export function malformedCode(clean: () => unknown): MalformedImageCode {
  try {
    clean();
  } catch (error) {
    if (error instanceof MalformedImageError) return error.code;
    throw error;
  }
  throw new Error('expected MalformedImageError');
}
