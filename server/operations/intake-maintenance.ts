/**
 * What the intake does for its storage at start-up and then on a timer: unfinished uploads
 * expire, file times are settled to days, and the per-day intake counts of past days are dropped.
 */
import type { CandorConfig } from '../../config/schema';
import { addDays, dayOf } from '../clock';
import type { Storage } from '../storage/index';
import { expireUnfinishedUploads } from './expire-uploads';
import { settleFileTimes } from './settle-file-times';

/**
 * Days of intake counts kept before today. Only today's count serves the budget (a week is a
 * margin for a clock set back); older days are dropped so that the table does not list, long after
 * a purge, the days on which reporters sent something.
 */
export const INTAKE_DAYS_KEPT = 7;

export interface IntakeMaintenanceResult {
  readonly uploadsExpired: number;
  /** Files and store folders whose times were set to their day again. */
  readonly fileTimesSettled: number;
  readonly intakeDaysPruned: number;
}

export async function runIntakeMaintenance(storage: Storage, config: Pick<CandorConfig, 'limits'>, now: Date): Promise<IntakeMaintenanceResult> {
  const today = dayOf(now);
  const uploadsExpired = await expireUnfinishedUploads(storage, today, config.limits.unfinishedUploadDays);
  // After the expiry, which changed the uploads folder and left fewer files to look at.
  const fileTimesSettled = await settleFileTimes(storage, now);
  const intakeDaysPruned = storage.usage.pruneIntakeDaysBefore(addDays(today, -INTAKE_DAYS_KEPT));
  return { uploadsExpired, fileTimesSettled, intakeDaysPruned };
}
