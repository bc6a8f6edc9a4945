/**
 * What both apps are around their own routes: the same headers, logging, static client and error
 * handling, so that the intake and the console cannot drift apart on any of them.
 */
import express, { type Express, type Router } from 'express';
import type { Logger } from '../logger';
import { errorMiddleware, notFound } from './errors';
import { API_BASE, type RequestLog } from './request-log';
import { noStore, securityHeaders } from './security-headers';
import { staticClient } from './static-client';

export function createAppShell(options: { readonly logger: Logger; readonly requestLog: RequestLog; readonly api: Router; readonly clientDir: string }): Express {
  const app = express();
  app.disable('x-powered-by');
  app.disable('etag');
  app.set('query parser', 'simple');
  app.use(options.requestLog);
  app.use(securityHeaders());
  app.use(API_BASE, noStore, options.api);
  app.use(staticClient(options.clientDir));
  app.use(notFound);
  app.use(errorMiddleware(options.logger));
  return app;
}
