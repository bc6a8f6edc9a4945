/** The console's file viewer (test/e2e/suites/console-viewer-suite.ts) in Debian's Firefox ESR at its standard level. */
import { consoleViewerSuite } from './suites/console-viewer-suite';

consoleViewerSuite({ name: 'firefox' });
