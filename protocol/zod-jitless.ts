/**
 * Imported first by each browser bundle's entry, before any module builds a zod schema: zod then
 * parses without generated code. Otherwise building an object schema probes `new Function('')`, which
 * the pages' CSP (`script-src 'self'`) refuses and reports as a violation on every page load, although
 * zod catches the error. A schema reads the setting when it is built, hence first.
 */
import { z } from 'zod';

z.config({ jitless: true });
