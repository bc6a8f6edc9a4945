/** The audit log as admins and the operator read it: newest-first pages, and the check of its hash chain. */
import type { AuditEntry, AuditVerification } from '../../storage/audit-log-repository';
import type { Storage } from '../../storage/index';

export interface AuditPage {
  readonly limit: number;
  /** Entries strictly older than this one: the next page. */
  readonly beforeSeq?: number | undefined;
}

export class AuditService {
  constructor(private readonly storage: Storage) {}

  list(page: AuditPage): AuditEntry[] {
    return this.storage.audit.list({ limit: page.limit, ...(page.beforeSeq === undefined ? {} : { beforeSeq: page.beforeSeq }) });
  }

  /** Checks the hash chain and names the first entry that does not hold (docs/protocol.md §16). */
  verify(): AuditVerification {
    return this.storage.audit.verify();
  }
}
