/**
 * PDF cleaning through the intake (test/e2e/suites/intake-pdf-suite.ts) in Debian's Firefox ESR at
 * Tor Browser's "Safer" level: no JIT, no WebAssembly, so pdf.js draws the pages interpreted.
 */
import { intakePdfSuite } from './suites/intake-pdf-suite';

intakePdfSuite({ name: 'firefox', safer: true });
