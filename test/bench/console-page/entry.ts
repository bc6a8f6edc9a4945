/** The console suite's page: the console's decryption, offered on globalThis for page.evaluate. */
// First, as in the clients' entries (protocol/zod-jitless.ts): no CSP violation on load.
import '../../../protocol/zod-jitless';
import { CONSOLE_PAGE_GLOBAL, measureReportDecryption, type ConsolePageApi } from '../console-decryption';

const api: ConsolePageApi = { measureReportDecryption };
Object.assign(globalThis, { [CONSOLE_PAGE_GLOBAL]: api });
