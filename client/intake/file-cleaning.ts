/** What the report or follow-up document says about how this browser cleaned a file (docs/protocol.md §7.1). */
import type { FileCleaning } from '../../protocol/report-document';
import type { MetadataReport } from './metadata/index';

export function fileCleaning(report: MetadataReport): FileCleaning {
  return { status: report.status, removed: [...report.removed], ...(report.mode === undefined ? {} : { mode: report.mode }) };
}
