/**
 * The intake's whistleblower flows (test/e2e/suites/intake-suite.ts) in Debian's Firefox ESR, the
 * base of Tor Browser, at Tor Browser's "Safer" level: no JIT, no WebAssembly, no asm.js.
 */
import { intakeSuite } from './suites/intake-suite';

intakeSuite({ name: 'firefox', safer: true });
