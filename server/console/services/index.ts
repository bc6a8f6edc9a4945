/**
 * The console's services, where its rules, transactions and audit writes live. Built once from
 * storage: by createConsoleApp for the routes, and by the admin CLI for its commands.
 */
import type { Clock } from '../../clock';
import type { Storage } from '../../storage/index';
import { AccountService } from './account-service';
import { AuditService } from './audit-service';
import { BodyService } from './body-service';
import { CaseService } from './case-service';

export interface ConsoleServices {
  readonly accounts: AccountService;
  readonly audit: AuditService;
  readonly bodies: BodyService;
  readonly cases: CaseService;
}

export function createConsoleServices(storage: Storage, clock: Clock): ConsoleServices {
  return {
    accounts: new AccountService(storage, clock),
    audit: new AuditService(storage),
    bodies: new BodyService(storage, clock),
    cases: new CaseService(storage, clock),
  };
}
