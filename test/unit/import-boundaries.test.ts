/**
 * The folder boundaries (ESLint): the browser bundles take what they share with the server from
 * protocol/, the server imports no browser code, build tooling is in tools/, and protocol/ depends
 * on neither side. Each refusal says what to import instead.
 */
import { describe, expect, it } from 'vitest';
import { importLinter } from '../helpers/import-linter';

const eslint = importLinter();

async function restrictedImportMessages(specifier: string, filePath: string): Promise<string[]> {
  const [result] = await eslint.lintText(`import { x } from '${specifier}';\nexport const y = x;\n`, { filePath });
  return result!.messages.filter((message) => message.ruleId === 'no-restricted-imports').map((message) => message.message);
}

describe('the folder boundaries (ESLint)', () => {
  it.each([
    ['client/intake/pages/statistics.tsx', '../../../server/statistics/periods', 'protocol/'],
    ['client/console/main.tsx', '../../server/console/services/account-service', 'protocol/'],
    ['client/intake/submit.ts', '../../config/schema', 'tools/client-build/'],
    ['client/console/main.tsx', '../../tools/client-build/pinned-keys', 'define'],
    ['server/start.ts', '../client/intake/submit', 'protocol/'],
    ['server/http/static-client.ts', '../../client/console/api/http', 'protocol/'],
    ['config/schema.ts', '../client/intake/i18n/index', 'protocol/'],
    ['protocol/statistics.ts', '../server/statistics/periods', 'protocol/'],
    ['protocol/statistics.ts', '../client/intake/submit', 'protocol/'],
    ['protocol/statistics.ts', '../tools/client-build/pinned-keys', 'protocol/'],
    ['protocol/statistics.ts', 'node:crypto', 'browsers'],
    // The folder rules of a file replace the global rule, so they must carry the crypto boundary too.
    ['client/intake/submit.ts', '../../crypto/openpgp', 'crypto/index.ts'],
    ['server/start.ts', '../crypto/nacl', 'crypto/index.ts'],
    ['protocol/statistics.ts', '../crypto/report', 'crypto/index.ts'],
  ])('when %s imports %s, then lint fails and points to %s', async (filePath, specifier, hint) => {
    const messages = await restrictedImportMessages(specifier, filePath);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toContain(hint);
  });

  it.each([
    ['client/intake/pages/statistics.tsx', '../../../protocol/statistics'],
    ['client/intake/pages/statistics.tsx', '../../../crypto/index'],
    ['client/intake/pages/statistics.tsx', '../i18n/context'],
    ['client/console/main.tsx', '@simplewebauthn/browser'],
    ['server/statistics/compute-statistics.ts', '../../protocol/statistics'],
    ['server/client-build.ts', '../tools/client-build/pinned-keys'],
    ['server/start.ts', './client-build'],
    ['protocol/statistics.ts', '../crypto/index'],
    ['tools/client-build/intake.vite.config.ts', '../../config/load.ts'],
  ])('when %s imports %s, then lint passes', async (filePath, specifier) => {
    expect(await restrictedImportMessages(specifier, filePath)).toEqual([]);
  });
});
