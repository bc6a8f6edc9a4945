/** Where the client-build tests put both clients, the pinned-keys file and the data: a fresh temporary folder. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeDirectoryPins } from '../../../tools/client-build/pinned-keys';
import { generateDirectoryKeyPair } from '../../../crypto/index';
import { DEMO_BODY_ID } from '../../../server/demo-setup';

export interface ClientBuildSettings {
  /** The configuration's variables pointing into the folder, for resolveConfig or a child process. */
  readonly env: Readonly<Record<'CANDOR_PINNED_KEYS_FILE' | 'CANDOR_INTAKE_CLIENT_DIR' | 'CANDOR_CONSOLE_CLIENT_DIR' | 'CANDOR_DATA_DIR', string>>;
  remove(): void;
}

/** A folder with a pinned-keys file for a new directory key of the demo body, and nothing built yet. */
export function clientBuildSettings(): ClientBuildSettings {
  const work = mkdtempSync(join(tmpdir(), 'candor-client-build-'));
  const env = {
    CANDOR_PINNED_KEYS_FILE: join(work, 'pinned-directory-keys.json'),
    CANDOR_INTAKE_CLIENT_DIR: join(work, 'intake'),
    CANDOR_CONSOLE_CLIENT_DIR: join(work, 'console'),
    CANDOR_DATA_DIR: join(work, 'data'),
  };
  writeDirectoryPins(env.CANDOR_PINNED_KEYS_FILE, { [DEMO_BODY_ID]: { keys: [generateDirectoryKeyPair().publicKey], minimumSerial: 1 } });
  return { env, remove: () => rmSync(work, { recursive: true, force: true }) };
}
