/**
 * The block SHA-256 (docs/protocol.md §9.6) of a file's plaintext, as the report and follow-up
 * documents name it so that the console can check what it decrypts: read from the file's stream, so
 * a large file never sits whole in memory.
 */
import { createBlockSha256 } from '../../crypto/index';

export async function blockSha256OfFile(file: Blob): Promise<string> {
  const hasher = createBlockSha256();
  const reader = file.stream().getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    await hasher.update(value);
  }
  return hasher.digestHex();
}
