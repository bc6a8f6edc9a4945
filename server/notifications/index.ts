/**
 * Starting investigators' alerts with the server (server/start.ts): a sender when SMTP is
 * configured; otherwise the intake's triggers stop recording events, and whatever waited is deleted.
 */
import type { CandorConfig } from '../../config/schema';
import type { Clock } from '../clock';
import type { Logger } from '../logger';
import type { Storage } from '../storage/index';
import { NotificationSender } from './sender';
import { createSmtpTransport, type MailTransport } from './smtp-transport';

export interface NotificationDeps {
  readonly storage: Storage;
  readonly clock: Clock;
  readonly logger: Logger;
  /** The SMTP transport unless a test gives its own. */
  readonly transport?: MailTransport;
}

/** The sender, not yet started (call `start()`), or null when alerts are off. */
export function createNotificationSender(config: CandorConfig, deps: NotificationDeps): NotificationSender | null {
  const notifications = config.notifications;
  deps.storage.notifications.setActive(notifications !== null);
  if (notifications === null) return null;
  return new NotificationSender(notifications, { ...deps, transport: deps.transport ?? createSmtpTransport(notifications) });
}
