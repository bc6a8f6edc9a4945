/**
 * The block SHA-256 (docs/protocol.md §9.6) of a file's plaintext, as the report and follow-up
 * documents name it so that the console can check what it decrypts: read from the file's stream
 * block by block into one buffer, so a large file never sits whole in memory, nor leaves its chunks
 * behind as garbage.
 */
import { blockSha256OfStream } from '../../crypto/index';

export function blockSha256OfFile(file: Blob): Promise<string> {
  return blockSha256OfStream(file.stream());
}
