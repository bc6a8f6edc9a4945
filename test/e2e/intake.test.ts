/** The intake's whistleblower flows (test/e2e/suites/intake-suite.ts) in Debian's Chromium. */
import { intakeSuite } from './suites/intake-suite';

intakeSuite({ name: 'chromium' });
