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
import { InvestigatorKeysRepository } from './investigator-keys-repository';
import { NotificationsRepository } from './notifications-repository';
import { SecondFactorsRepository } from './second-factors-repository';
import { SessionsRepository } from './sessions-repository';
import { TrustedDevicesRepository } from './trusted-devices-repository';
import { UsageRepository } from './usage-repository';

/** How a transaction takes its locks: `immediate` takes the write lock at its start (see Storage.transaction). */
export type TransactionMode = 'deferred' | 'immediate';

export interface Storage {
  /**
   * The database itself, for storage-level work only: the statistics' read model (StatisticsRepository)
   * and the operations that delete rows for good (purge, delete-case, upload expiry in
   * server/operations/). Everything else goes through the repositories and `transaction`.
   */
  readonly db: Db;
  readonly bodies: BodiesRepository;
  readonly cases: CasesRepository;
  readonly attachments: AttachmentsRepository;
  readonly blobs: BlobStore;
  readonly accounts: AccountsRepository;
  readonly secondFactors: SecondFactorsRepository;
  readonly investigatorKeys: InvestigatorKeysRepository;
  readonly trustedDevices: TrustedDevicesRepository;
  readonly sessions: SessionsRepository;
  readonly audit: AuditLogRepository;
  readonly usage: UsageRepository;
  readonly notifications: NotificationsRepository;
  /**
   * Runs `work` as one transaction: all of its writes, or none of them. `work` must be synchronous
   * (SQLite commits when it returns). `immediate` takes the write lock at the start, so a read and
   * the change it decides are one step even against another process (the command line).
   */
  transaction<T>(work: () => T, mode?: TransactionMode): T;
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
  const trustedDevices = new TrustedDevicesRepository(db);
  return {
    db,
    bodies: new BodiesRepository(db),
    accounts: new AccountsRepository(db, trustedDevices),
    secondFactors: new SecondFactorsRepository(db, trustedDevices),
    investigatorKeys: new InvestigatorKeysRepository(db),
    trustedDevices,
    sessions: new SessionsRepository(db),
    cases: new CasesRepository(db),
    attachments,
    blobs,
    audit: new AuditLogRepository(db),
    usage: new UsageRepository(db),
    notifications: new NotificationsRepository(db),
    transaction: (work, mode = 'deferred') => db.transaction(work)[mode](),
    close: () => db.close(),
  };
}
