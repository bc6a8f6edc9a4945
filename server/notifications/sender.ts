/**
 * The background sender of investigators' alerts, in the server process. At each interval it turns
 * the events the intake's triggers recorded, and the deadlines now near or passed, into one digest per
 * investigator (stored), then sends the digests that are due; a failed one is tried again later.
 *
 * Delivery is at least once: a digest is deleted only after the SMTP server accepted it, and each
 * attempt is counted, with the time of the next, before it is made. A crash between acceptance and
 * deletion sends that digest once more (at its next attempt's time, not at once); nothing is lost on
 * a restart, and no interval ever adds a second digest for an account while one waits: new events
 * merge into it.
 */
import { checkRecipientKey, encryptNotificationText, isCryptoError } from '../../crypto/index';
import type { NotificationsConfig } from '../../config/schema';
import { addDays, dayOf, type Clock, type Day } from '../clock';
import { nextDueOn } from '../domain/deadlines';
import type { LogFields, Logger } from '../logger';
import type { Storage } from '../storage/index';
import type { OpenCaseFacts } from '../storage/notifications-repository';
import { mergeDigest, parseDigest, serializeDigest, type DigestEntry } from './digest';
import { ALERT_SUBJECT, alertText } from './mail-text';
import { MAX_SEND_ATTEMPTS, retryDelayMs, slotOf } from './schedule';
import type { MailTransport } from './smtp-transport';

/** How often the sender looks at the clock; an interval's digests go out within this of its start. */
export const TICK_MS = 15_000;

export interface NotificationSenderDeps {
  readonly storage: Storage;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly transport: MailTransport;
}

/** What a failure may say in the log: a nodemailer error code and an SMTP status, never its message (which may name an address or a host). */
function failureFields(error: unknown): LogFields {
  const { code, responseCode } = (error ?? {}) as { code?: unknown; responseCode?: unknown };
  return {
    failure: typeof code === 'string' && /^E[A-Z]{2,20}$/.test(code) ? code : 'other',
    ...(typeof responseCode === 'number' && Number.isInteger(responseCode) ? { smtpStatus: responseCode } : {}),
  };
}

export class NotificationSender {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(
    private readonly config: NotificationsConfig,
    private readonly deps: NotificationSenderDeps,
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.tick(), TICK_MS);
    this.timer.unref();
    void this.tick();
  }

  /** Stops the timer and waits for a tick under way; the transport is closed. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
    this.deps.transport.close();
  }

  /** One look at the clock: build this interval's digests if not done yet, then send what is due. Ticks never overlap. */
  tick(): Promise<void> {
    this.running ??= this.work().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async work(): Promise<void> {
    try {
      const now = this.deps.clock.now();
      this.buildDigests(now);
      for (const entry of this.deps.storage.notifications.dueOutbox(now.getTime())) await this.deliver(entry.accountId, entry.digest, entry.attempts, now);
    } catch (error) {
      // The sender must never take the server down; the next tick tries again.
      this.deps.logger.error('notification-sender-failed', { cause: String((error as Error | null)?.name ?? 'unknown') });
    }
  }

  private buildDigests(now: Date): void {
    const { storage } = this.deps;
    const slot = slotOf(now, this.config.intervalMinutes);
    // Immediate: the read of the last interval and the writes it decides are one step.
    storage.transaction(() => {
      const repository = storage.notifications;
      if (repository.lastSlot() >= slot) return;
      repository.setLastSlot(slot);
      const events = repository.takeEvents();
      const today = dayOf(now);
      const openCases = new Map<string, OpenCaseFacts[]>();
      for (const recipient of repository.recipients()) {
        const bodies = new Set(recipient.bodyIds);
        const entries: DigestEntry[] = events.filter((event) => bodies.has(event.bodyId)).map(({ bodyId, kind, caseId }) => ({ bodyId, kind, caseId }));
        for (const bodyId of recipient.bodyIds) {
          if (!openCases.has(bodyId)) openCases.set(bodyId, repository.openCases(bodyId));
          for (const facts of openCases.get(bodyId) ?? []) {
            const entry = this.deadlineEntry(recipient.accountId, facts, today);
            if (entry !== null) entries.push(entry);
          }
        }
        if (entries.length === 0) continue;
        const waiting = repository.outboxOf(recipient.accountId);
        repository.putOutbox(recipient.accountId, serializeDigest(mergeDigest(waiting && parseDigest(waiting.digest), entries)), now.getTime());
      }
    }, 'immediate');
  }

  /** The case's next deadline as news, if it is near or passed and not alerted to this account at this stage before. */
  private deadlineEntry(accountId: string, facts: OpenCaseFacts, today: Day): DigestEntry | null {
    const dueOn = nextDueOn(facts);
    if (dueOn === null || dueOn > addDays(today, this.config.daysBeforeDeadline)) return null;
    const deadline = facts.acknowledgedOn === null && facts.feedbackOn === null ? 'acknowledgment' : 'feedback';
    const stage = dueOn < today ? 'passed' : 'soon';
    if (!this.deps.storage.notifications.recordDeadlineAlert({ accountId, caseId: facts.id, deadline, dueOn, stage })) return null;
    return { bodyId: facts.bodyId, kind: `${deadline}-${stage}`, caseId: facts.id };
  }

  private async deliver(accountId: string, storedDigest: string, attemptsBefore: number, now: Date): Promise<void> {
    const { storage, logger, transport } = this.deps;
    const repository = storage.notifications;
    const attempt = attemptsBefore + 1;
    repository.beginAttempt(accountId, now.getTime() + retryDelayMs(attempt));
    const settings = repository.settingsOf(accountId);
    if (settings === undefined || !repository.isRecipient(accountId)) {
      repository.deleteOutbox(accountId);
      return;
    }
    let text: string;
    try {
      text = alertText(parseDigest(storedDigest), {
        bodyName: (bodyId) => storage.bodies.find(bodyId)?.name ?? bodyId,
        showCaseIds: settings.showCaseIds,
        daysBeforeDeadline: this.config.daysBeforeDeadline,
      });
    } catch {
      repository.deleteOutbox(accountId);
      logger.error('notification-digest-unreadable');
      return;
    }
    if (settings.encrypt) {
      // Fail closed: an alert the investigator wants encrypted is never sent in plain text.
      const current = storage.investigatorKeys.list(accountId).find((key) => key.retiredOn === null);
      try {
        if (current === undefined) throw new Error('no current key');
        text = await encryptNotificationText(text, await checkRecipientKey(current.publicKey, now));
      } catch (error) {
        repository.deleteOutbox(accountId);
        logger.warn('notification-not-encryptable', { reason: isCryptoError(error) ? error.code : 'no-current-key' });
        return;
      }
    }
    try {
      await transport.send({ to: settings.email, subject: ALERT_SUBJECT, text });
    } catch (error) {
      if (attempt >= MAX_SEND_ATTEMPTS) {
        repository.deleteOutbox(accountId);
        logger.error('notification-dropped', { attempts: attempt, ...failureFields(error) });
      } else {
        logger.warn('notification-send-failed', { attempt, retryInMinutes: retryDelayMs(attempt) / 60_000, ...failureFields(error) });
      }
      return;
    }
    repository.deleteOutbox(accountId);
    logger.info('notification-sent', { attempt, encrypted: settings.encrypt });
  }
}
