/** Rows for attachments and the uploads that become them. The bytes live in the blob store. */
import type { Day } from '../clock';
import { statementCache, type Db } from './database';

export interface UploadRecord {
  readonly id: string;
  readonly caseId: string;
  readonly declaredSize: number;
  readonly startedOn: Day;
}

export interface AttachmentRecord {
  readonly id: string;
  readonly caseId: string;
  readonly size: number;
  readonly sha256: string;
  readonly createdOn: Day;
}

interface UploadRow {
  id: string;
  case_id: string;
  declared_size: number;
  started_on: string;
}

interface AttachmentRow {
  id: string;
  case_id: string;
  size: number;
  sha256: string;
  created_on: string;
}

export class AttachmentsRepository {
  private readonly sql: ReturnType<typeof statementCache>;

  constructor(private readonly db: Db) {
    this.sql = statementCache(db);
  }

  startUpload(upload: UploadRecord): void {
    this.sql('INSERT INTO uploads (id, case_id, declared_size, started_on) VALUES (@id, @caseId, @declaredSize, @startedOn)')
      .run(upload);
  }

  /** What the upload has received, as the budgets count it (the part file is what a resume trusts). */
  recordReceived(id: string, receivedBytes: number, day: Day): void {
    this.sql('UPDATE uploads SET received_bytes = @receivedBytes, received_on = @day WHERE id = @id AND received_bytes < @receivedBytes').run({ id, receivedBytes, day });
  }

  /** The upload's bytes were discarded (it arrived damaged): it holds nothing until it is sent again. */
  resetReceived(id: string): void {
    this.sql('UPDATE uploads SET received_bytes = 0 WHERE id = ?').run(id);
  }

  findUpload(id: string): UploadRecord | undefined {
    const row = this.sql('SELECT * FROM uploads WHERE id = ?').get(id) as UploadRow | undefined;
    return row && { id: row.id, caseId: row.case_id, declaredSize: row.declared_size, startedOn: row.started_on as Day };
  }

  /** Turns a finished upload into an attachment in one transaction. */
  completeUpload(attachment: AttachmentRecord): void {
    this.db.transaction(() => {
      this.sql('DELETE FROM uploads WHERE id = ?').run(attachment.id);
      this.sql('INSERT INTO attachments (id, case_id, size, sha256, created_on) VALUES (@id, @caseId, @size, @sha256, @createdOn)')
        .run(attachment);
    })();
  }

  findAttachment(id: string): AttachmentRecord | undefined {
    const row = this.sql('SELECT * FROM attachments WHERE id = ?').get(id) as AttachmentRow | undefined;
    return row && toAttachment(row);
  }

  attachmentsOf(caseId: string): AttachmentRecord[] {
    return (this.sql('SELECT * FROM attachments WHERE case_id = ? ORDER BY rowid').all(caseId) as AttachmentRow[]).map(toAttachment);
  }

  /** Attachments and uploads in progress together: what counts against the per-case limit. */
  countFor(caseId: string): number {
    const row = this.sql('SELECT (SELECT count(*) FROM attachments WHERE case_id = @caseId) + (SELECT count(*) FROM uploads WHERE case_id = @caseId) AS n')
      .get({ caseId }) as { n: number };
    return row.n;
  }

  allUploadIds(): Set<string> {
    return new Set((this.sql('SELECT id FROM uploads').pluck().all() as string[]));
  }

  allAttachmentIds(): Set<string> {
    return new Set((this.sql('SELECT id FROM attachments').pluck().all() as string[]));
  }
}

const toAttachment = (row: AttachmentRow): AttachmentRecord => ({
  id: row.id,
  caseId: row.case_id,
  size: row.size,
  sha256: row.sha256,
  createdOn: row.created_on as Day,
});
