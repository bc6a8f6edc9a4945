/**
 * The command line's composition root for the console's services: each command opens the data
 * directory's storage, builds the same services the console's routes call, and closes it again.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { systemClock } from '../clock';
import type { Actor } from '../console/services/actor';
import { createConsoleServices, type ConsoleServices } from '../console/services/index';
import { AppError } from '../errors';
import { DATABASE_FILE, openStorage } from '../storage/index';
import { COMMAND_LINE_ACTOR, UsageError } from './usage';

/** The operator, as the services' audit entries name them. */
export const COMMAND_LINE: Actor = { username: COMMAND_LINE_ACTOR };

export interface ServicesOptions {
  /** Refuse a data directory without a database: opening creates an empty one, which would show a store of nothing. */
  readonly existing?: boolean;
}

/** Runs `work` with the services on the storage of `dataDir`; their errors reach the operator as they are worded. */
export async function withServices<T>(dataDir: string, work: (services: ConsoleServices) => Promise<T> | T, options: ServicesOptions = {}): Promise<T> {
  if (options.existing === true && !existsSync(join(dataDir, DATABASE_FILE))) throw new UsageError(`There is no Candor database in ${dataDir}.`);
  const storage = await openStorage(dataDir);
  try {
    return await work(createConsoleServices(storage, systemClock));
  } catch (error) {
    if (error instanceof AppError) throw new UsageError(`${error.publicMessage}${error.details.length > 0 ? ` (${error.details.join('; ')})` : ''}`);
    throw error;
  } finally {
    storage.close();
  }
}
