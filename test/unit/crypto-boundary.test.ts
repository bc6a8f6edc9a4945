import { describe, expect, it } from 'vitest';
import { importLinter } from '../helpers/import-linter';

const eslint = importLinter();

async function restrictedImportErrors(code: string, filePath: string): Promise<number> {
  const [result] = await eslint.lintText(code, { filePath });
  return result!.messages.filter((message) => message.ruleId === 'no-restricted-imports').length;
}

describe('the crypto boundary (ESLint)', () => {
  it.each([
    ['server/intake/app.ts', "import * as openpgp from 'openpgp';\nexport const x = openpgp;\n"],
    ['client/intake/main.ts', "import nacl from 'tweetnacl';\nexport const x = nacl;\n"],
    ['crypto/report.ts', "import * as openpgp from 'openpgp';\nexport const x = openpgp;\n"],
    ['crypto/reply.ts', "import nacl from 'tweetnacl';\nexport const x = nacl;\n"],
    ['test/unit/x.test.ts', "import * as openpgp from 'openpgp';\nexport const x = openpgp;\n"],
    ['server/intake/app.ts', "import { encryptBoundMessage } from '../../crypto/openpgp';\nexport const x = encryptBoundMessage;\n"],
  ])('when %s imports a crypto library or internal directly, then lint fails', async (filePath, code) => {
    expect(await restrictedImportErrors(code, filePath)).toBe(1);
  });

  it.each([
    ['crypto/openpgp.ts', "import * as openpgp from 'openpgp';\nexport const x = openpgp;\n"],
    ['crypto/nacl.ts', "import nacl from 'tweetnacl';\nexport const x = nacl;\n"],
    ['server/intake/app.ts', "import { encryptReport } from '../../crypto/index';\nexport const x = encryptReport;\n"],
  ])('when %s imports what it is allowed to, then lint passes', async (filePath, code) => {
    expect(await restrictedImportErrors(code, filePath)).toBe(0);
  });
});
