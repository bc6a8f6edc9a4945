// Lint rules. The crypto boundary rules keep every use of openpgp and tweetnacl behind crypto/,
// with each library imported by exactly one file that also owns its configuration. The folder
// boundary rules keep the browser and the server apart: what both need is in protocol/ (or crypto/),
// and the build tooling, which the server runs for the demo, is in tools/.
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

const clientBoundary = [
  {
    group: ['**/server/*'],
    message: 'client/ runs in the browser: import what it shares with the server from protocol/ (or crypto/index.ts), never from server/.',
  },
  {
    group: ['**/config/*'],
    message: 'client/ never reads the server configuration: tools/client-build/ compiles in what a bundle needs, the rest comes from the API.',
  },
  {
    group: ['**/tools/*'],
    message: 'tools/ runs in Node at build time: a bundle gets build settings through Vite `define` (tools/client-build/client-vite-config.ts).',
  },
];
const serverBoundary = [
  { group: ['**/client/*'], message: 'The server imports no browser code: move what both sides need to protocol/, build tooling to tools/.' },
];
const protocolBoundary = [
  {
    group: ['**/server/*', '**/client/*', '**/tools/*', '**/config/*'],
    message: 'protocol/ is the contract both sides import, so it imports neither: move the shared part into protocol/ instead.',
  },
  { group: ['node:*'], message: 'protocol/ runs in browsers too: no Node built-ins.' },
];

/** The crypto boundary everywhere outside crypto/, and the folder boundary of `files`. */
const restrictedImports = (boundary) => ['error', { paths: libraryImports, patterns: [cryptoInternals, ...boundary] }];

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'data/**', 'test-results/**', 'coverage/**', 'scratch/**', 'bench-results/**'] },
  js.configs.recommended,
  ...tseslint.configs.strict,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      'no-restricted-imports': restrictedImports([]),
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-restricted-properties': [
        'error',
        { object: 'Math', property: 'random', message: 'Use crypto.getRandomValues (crypto/random.ts).' },
      ],
    },
  },
  {
    // Type-aware rules for promises: a promise nobody awaits fails silently (an unhandled rejection
    // can end the server), and one passed where a function returning nothing is expected (an event
    // handler, a middleware) drops its errors.
    files: ['**/*.{ts,tsx}'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: { '@typescript-eslint/no-floating-promises': 'error', '@typescript-eslint/no-misused-promises': 'error' },
  },
  { files: ['client/**/*.{ts,tsx}'], rules: { 'no-restricted-imports': restrictedImports(clientBoundary) } },
  { files: ['server/**/*.ts', 'config/**/*.ts'], rules: { 'no-restricted-imports': restrictedImports(serverBoundary) } },
  { files: ['protocol/**/*.ts'], rules: { 'no-restricted-imports': restrictedImports(protocolBoundary) } },
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
