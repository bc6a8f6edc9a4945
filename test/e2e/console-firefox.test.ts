/**
 * The review console's main path with the intake (test/e2e/suites/console-suite.ts) in Debian's
 * Firefox ESR at its standard level.
 */
import { consoleSuite } from './suites/console-suite';

consoleSuite({ name: 'firefox' });
