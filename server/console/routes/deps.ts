/** What every console router needs; built once by createConsoleApp. */
import type { CandorConfig } from '../../../config/schema';
import type { Clock } from '../../clock';
import type { Storage } from '../../storage/index';
import type { SessionManager } from '../auth/sessions';
import type { SignInGuard } from '../auth/sign-in-guard';
import type { RelyingParty } from '../auth/webauthn';

export interface ConsoleRouteDeps {
  readonly config: CandorConfig;
  readonly storage: Storage;
  readonly clock: Clock;
  readonly sessions: SessionManager;
  readonly relyingParty: RelyingParty;
  readonly guard: SignInGuard;
}
