/** What every admin command shares: errors meant for the operator, reading files, the data directory. */
import { readFile } from 'node:fs/promises';
import { loadConfig } from '../../config/load';
import { isCryptoError } from '../../crypto/index';

/** Who the audit log names for a change made with this command line (docs/protocol.md §16). */
export const COMMAND_LINE_ACTOR = '(command line)';

/** An error whose message is meant for the operator as it stands. */
export class UsageError extends Error {}

async function readStandardInput(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Reads a file the operator named; `-` is standard input. */
export async function readTextFile(path: string, what: string): Promise<string> {
  if (path === '-') return readStandardInput();
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(code === 'ENOENT' ? `The ${what} file ${path} does not exist.` : `Cannot read the ${what} file ${path} (${code ?? 'error'}).`);
  }
}

export async function withKeyContext<T>(path: string, load: () => Promise<T>): Promise<T> {
  try {
    return await load();
  } catch (error) {
    if (isCryptoError(error)) throw new UsageError(`The admin key in ${path} cannot be used: ${error.message}`);
    throw error;
  }
}

export function dataDirOption(given: string | undefined): string {
  return given ?? loadConfig().config.dataDir;
}

export function mib(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;
}
