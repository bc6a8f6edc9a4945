/** Opens everything the apps store: the database (migrated) and the blob store (orphans removed). */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Clock } from '../clock';
import { AccountsRepository } from './accounts-repository';
import { AttachmentsRepository } from './attachments-repository';
import { AuditLogRepository } from './audit-log-repository';
import { BlobStore, type BlobIo } from './blob-store';
import { BodiesRepository } from './bodies-repository';
import { CasesRepository } from './cases-repository';
import { openDatabase, type Db, type OpenDatabaseOptions } from './database';
import { SessionsRepository } from './sessions-repository';
import { UsageRepository } from './usage-repository';

export interface Storage {
  readonly db: Db;
  readonly bodies: BodiesRepository;
  readonly cases: CasesRepository;
  readonly attachments: AttachmentsRepository;
  readonly blobs: BlobStore;
  readonly accounts: AccountsRepository;
  readonly sessions: SessionsRepository;
  readonly audit: AuditLogRepository;
  readonly usage: UsageRepository;
  close(): void;
}

export const DATABASE_FILE = 'candor.sqlite';

export interface OpenStorageOptions extends OpenDatabaseOptions {
  readonly blobIo?: BlobIo;
  /** Dates the blob store's files (to the day); the system clock unless a test fixes the day. */
  readonly clock?: Clock;
}

export async function openStorage(dataDir: string, options: OpenStorageOptions = {}): Promise<Storage> {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const db = openDatabase(join(dataDir, DATABASE_FILE), options);
  const attachments = new AttachmentsRepository(db);
  const blobs = new BlobStore(dataDir, options.blobIo, options.clock);
  await blobs.init();
  await blobs.removeOrphans(attachments.allUploadIds(), attachments.allAttachmentIds());
  return {
    db,
    bodies: new BodiesRepository(db),
    accounts: new AccountsRepository(db),
    sessions: new SessionsRepository(db),
    cases: new CasesRepository(db),
    attachments,
    blobs,
    audit: new AuditLogRepository(db),
    usage: new UsageRepository(db),
    close: () => db.close(),
  };
}
