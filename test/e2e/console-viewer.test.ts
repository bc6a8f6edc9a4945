/** The console's file viewer (test/e2e/suites/console-viewer-suite.ts) in Debian's Chromium. */
import { consoleViewerSuite } from './suites/console-viewer-suite';

consoleViewerSuite({ name: 'chromium' });
