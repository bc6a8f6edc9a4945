/** PDF cleaning through the intake (test/e2e/suites/intake-pdf-suite.ts) in Debian's Chromium. */
import { intakePdfSuite } from './suites/intake-pdf-suite';

intakePdfSuite({ name: 'chromium' });
