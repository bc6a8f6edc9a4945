/** What every console router needs; built once by createConsoleApp. Routers reach storage only through the services. */
import type { CandorConfig } from '../../../config/schema';
import type { SessionManager } from '../auth/sessions';
import type { SignInGuard } from '../auth/sign-in-guard';
import type { RelyingParty } from '../auth/webauthn';
import type { ConsoleServices } from '../services/index';

export interface ConsoleRouteDeps extends ConsoleServices {
  readonly config: CandorConfig;
  readonly sessions: SessionManager;
  readonly relyingParty: RelyingParty;
  readonly guard: SignInGuard;
}
