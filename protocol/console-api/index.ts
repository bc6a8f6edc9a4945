/**
 * The console API's contract (docs/console-api.md): a zod schema for every request and answer, one
 * file per area, types inferred from them. The server validates requests and types its answers with
 * them; the console parses every answer with them. Errors are wire.ts's `errorAnswerSchema`.
 */
export * from './common';
export * from './session';
export * from './account';
export * from './cases';
export * from './bodies';
export * from './admin';
