/**
 * The retention purge: deletes every case closed longer ago than its body's retention (the body's
 * own `retention_days`, else the configured default), with its objects, attachments, uploads and
 * their files, records what it did in the audit log, then rebuilds the database so that no page
 * keeps them. It also removes the working directories that killed backups and restores left in the
 * data directory: each holds a copy of the database, purged cases included. The deleting steps
 * are shared with delete-case (case-removal.ts).
 */
import { addDays, dayOf, type Day } from '../clock';
import type { Storage } from '../storage/index';
import { caseRowDeleter, removeCaseFiles, scrubDeletedCases, type CaseFiles, type Scrubbed } from './case-removal';

export interface PurgeOptions {
  readonly storage: Storage;
  /** Retention of bodies that have none of their own (`retention.days`). */
  readonly defaultRetentionDays: number;
  readonly now: Date;
  /** Who purges, as the audit log names them. */
  readonly actor: string;
}

export interface BodyPurge {
  readonly bodyId: string;
  readonly retentionDays: number;
  /** Cases of this body closed before this day were purged. */
  readonly closedBefore: Day;
  readonly casesPurged: number;
}

export interface PurgeResult extends Scrubbed {
  /** Every body, with the retention that applied to it. */
  readonly bodies: readonly BodyPurge[];
  readonly casesPurged: number;
  readonly attachmentsRemoved: number;
  readonly uploadsRemoved: number;
}

interface BodyRetentionRow {
  id: string;
  retention_days: number | null;
}

export async function purgeExpiredCases(options: PurgeOptions): Promise<PurgeResult> {
  const { storage, defaultRetentionDays, now, actor } = options;
  if (!Number.isInteger(defaultRetentionDays) || defaultRetentionDays < 0) throw new RangeError('Retention must be a whole number of days, 0 or more.');
  const { db } = storage;
  const today = dayOf(now);
  const bodies = db.prepare('SELECT id, retention_days FROM bodies ORDER BY id').all() as BodyRetentionRow[];
  const expiredCases = db
    .prepare("SELECT id FROM cases WHERE body_id = ? AND status = 'closed' AND closed_on IS NOT NULL AND closed_on < ? ORDER BY id")
    .pluck();
  const deleteCase = caseRowDeleter(storage);
  // One transaction per body: its cases go together with the audit entry that records their going.
  const purgeBody = db.transaction((purge: BodyPurge, caseIds: readonly string[]): CaseFiles => {
    const files = { attachments: [] as string[], uploads: [] as string[] };
    for (const caseId of caseIds) {
      const { attachments, uploads } = deleteCase(caseId);
      files.attachments.push(...attachments);
      files.uploads.push(...uploads);
    }
    // Counts and days only: the ids of purged cases must not outlive them.
    storage.audit.append(
      { actor, action: 'cases.purged', bodyId: purge.bodyId, details: { cases: purge.casesPurged, closedBefore: purge.closedBefore, retentionDays: purge.retentionDays } },
      now,
    );
    return files;
  });

  const purges: BodyPurge[] = [];
  let attachmentsRemoved = 0;
  let uploadsRemoved = 0;
  for (const body of bodies) {
    const retentionDays = body.retention_days ?? defaultRetentionDays;
    // "closed_on + retentionDays < today", written as a comparison of ISO days.
    const closedBefore = addDays(today, -retentionDays);
    const caseIds = expiredCases.all(body.id, closedBefore) as string[];
    const purge: BodyPurge = { bodyId: body.id, retentionDays, closedBefore, casesPurged: caseIds.length };
    purges.push(purge);
    if (caseIds.length === 0) continue;
    const files = purgeBody(purge, caseIds);
    await removeCaseFiles(storage, files);
    attachmentsRemoved += files.attachments.length;
    uploadsRemoved += files.uploads.length;
  }
  const casesPurged = purges.reduce((sum, purge) => sum + purge.casesPurged, 0);
  // Even when nothing expired now: a purge that found the log busy last time finishes here.
  const scrubbed = await scrubDeletedCases(storage, now, { vacuum: casesPurged > 0 });
  return { bodies: purges, casesPurged, attachmentsRemoved, uploadsRemoved, ...scrubbed };
}
