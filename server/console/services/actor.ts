/** Who makes a change, as the console's services see it. */

export interface Actor {
  /** The name the audit log records: the account's user name, or e.g. `(command line)` for the admin CLI. */
  readonly username: string;
  /** The acting console account; absent for the command line and scripts. A signed-in account is an Actor as it is. */
  readonly id?: string;
}
