// Lint rules. The crypto boundary rules keep every use of openpgp and tweetnacl behind crypto/,
// with each library imported by exactly one file that also owns its configuration.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

const OPENPGP_OWNER = 'crypto/openpgp.ts';
const NACL_OWNER = 'crypto/nacl.ts';

const libraryImports = [
  { name: 'openpgp', message: `Only ${OPENPGP_OWNER} imports openpgp; use the API in crypto/index.ts.` },
  { name: 'openpgp/lightweight', message: `Only ${OPENPGP_OWNER} imports openpgp.` },
  { name: 'tweetnacl', message: `Only ${NACL_OWNER} imports tweetnacl; use the API in crypto/index.ts.` },
];
const cryptoInternals = {
  group: ['**/crypto/*', '!**/crypto/index', '!**/crypto/index.ts'],
  message: 'Outside crypto/, import only crypto/index.ts.',
};

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'data/**', 'test-results/**', 'coverage/**', 'scratch/**', 'bench-results/**'] },
  js.configs.recommended,
  ...tseslint.configs.strict,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      'no-restricted-imports': ['error', { paths: libraryImports, patterns: [cryptoInternals] }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-restricted-properties': [
        'error',
        { object: 'Math', property: 'random', message: 'Use crypto.getRandomValues (crypto/random.ts).' },
      ],
    },
  },
  {
    // In tests a failed non-null assertion is a failed test, which is what it should be.
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off' },
  },
  {
    // The crypto core's own unit tests may reach its modules (e.g. each platform codec of bytes.ts),
    // never the libraries: the boundary is for the code that uses crypto/, not for its tests.
    files: ['test/unit/crypto/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: libraryImports }] },
  },
  {
    // Inside crypto/, files may import each other, but the libraries only from their owner file.
    files: ['crypto/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: libraryImports }] },
  },
  {
    files: [OPENPGP_OWNER],
    rules: {
      'no-restricted-imports': ['error', { paths: libraryImports.filter((p) => !p.name.startsWith('openpgp')) }],
    },
  },
  {
    files: [NACL_OWNER],
    rules: {
      'no-restricted-imports': ['error', { paths: libraryImports.filter((p) => p.name !== 'tweetnacl') }],
    },
  },
);
