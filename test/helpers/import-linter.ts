/**
 * ESLint with the project's configuration, for linting import lines of files that need not exist.
 * The type-aware rules are left out: they need the file in the TypeScript project, and the
 * boundary rules these tests check need no types.
 */
import { ESLint } from 'eslint';

export function importLinter(): ESLint {
  return new ESLint({
    cwd: process.cwd(),
    overrideConfig: {
      languageOptions: { parserOptions: { projectService: false } },
      rules: { '@typescript-eslint/no-floating-promises': 'off', '@typescript-eslint/no-misused-promises': 'off' },
    },
  });
}
