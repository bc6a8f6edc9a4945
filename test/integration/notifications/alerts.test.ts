/**
 * Investigators' e-mail alerts end to end: reports, follow-ups and files go through the real intake,
 * settings through the real console API, and the sender delivers to a real SMTP server on loopback.
 * The clock is the test's: intervals pass when the test says, and the sender ticks when it is told.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { decryptNotificationText, encryptReport, sealReply, toBase64Url, utf8Encode } from '../../../crypto/index';
import { createJsonLogger } from '../../../server/logger';
import { createNotificationSender } from '../../../server/notifications/index';
import { MAX_SEND_ATTEMPTS, retryDelayMs } from '../../../server/notifications/schedule';
import type { NotificationSender } from '../../../server/notifications/sender';
import { startTestConsole, type SignedIn, type TestAccount, type TestConsole } from '../../helpers/console';
import { expectStatus, TestReporter } from '../../helpers/intake';
import { startTestSmtpServer, type ReceivedMail, type TestSmtpServer } from '../../helpers/smtp';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const ADDRESS = 'alice.investigator@mail.example.org';
const FROM = 'candor-alerts@example.org';
const SENTINELS = ['SENTINEL-REPORT-7f3a', 'SENTINEL-FOLLOWUP-91c2', 'SENTINEL-FILE-NAME-c0de', 'SENTINEL-FILE-BYTES-5e5e'];

interface Site {
  readonly console: TestConsole;
  readonly smtp: TestSmtpServer;
  readonly logLines: string[];
  readonly sender: NotificationSender;
  readonly alice: TestAccount;
  readonly session: SignedIn;
}

let cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  cleanups = [];
});

/** Five minutes past an hour (intervals of 60 minutes start on the hour), in the morning. */
function startOfTest(): Date {
  // The next 10:05 UTC, whenever the test runs: the intervals the tests pass then stay within one day,
  // far from a midnight that would move a deadline, and the keys made just now are already valid.
  const now = new Date();
  const start = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate(), 10, 5);
  return new Date(start > now.getTime() ? start : start + 24 * HOUR);
}

function smtpEnv(port: number): Record<string, string> {
  return { CANDOR_SMTP_HOST: '127.0.0.1', CANDOR_SMTP_PORT: String(port), CANDOR_SMTP_SECURITY: 'none', CANDOR_NOTIFICATIONS_FROM: FROM };
}

async function startSite(options: { smtp?: TestSmtpServer; env?: Record<string, string> } = {}): Promise<Site> {
  const smtp = options.smtp ?? (await startTestSmtpServer());
  cleanups.push(() => smtp.close());
  const site = await startTestConsole({ env: options.env ?? smtpEnv(smtp.port), start: startOfTest() });
  cleanups.push(() => site.close());
  const logLines: string[] = [];
  const sender = createNotificationSender(site.intake.config, { storage: site.intake.storage, clock: site.clock, logger: createJsonLogger((line) => logLines.push(line)) });
  if (sender === null) throw new Error('The sender is off although SMTP is configured.');
  cleanups.push(() => sender.stop());
  const alice = await site.account('alice', 'investigator');
  const session = await site.signIn(alice);
  return { console: site, smtp, logLines, sender, alice, session };
}

async function saveSettings(session: SignedIn, settings: { email?: string; enabled?: boolean; encrypt?: boolean; showCaseIds?: boolean } = {}) {
  const response = await session.send('post', '/api/v1/account/notifications', { email: ADDRESS, enabled: true, encrypt: false, showCaseIds: false, ...settings });
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  return response;
}

/** The report as the intake's browser writes it: answers, and the names of the files, all inside the encryption. */
function reportText(): string {
  return JSON.stringify({ answers: { what: `Bribes at the port authority ${SENTINELS[0]}` }, files: [{ name: `${SENTINELS[2]}.pdf`, type: 'application/pdf' }] });
}

async function sendFollowup(reporter: TestReporter, text: string): Promise<void> {
  const message = await encryptReport(text, await reporter.recipients(), { caseId: reporter.keys.caseId, kind: 'followup' });
  const copy = sealReply(reporter.keys.replyPublicKey, utf8Encode(text), 'reporter-copy');
  expectStatus(await reporter.send('POST', '/api/v1/case/followups', { message: toBase64Url(message), reporterCopy: toBase64Url(copy) }), 201);
}

async function newCase(site: Site, text = reportText()): Promise<TestReporter> {
  const reporter = await TestReporter.create(site.console.intake);
  await reporter.createCase(text);
  return reporter;
}

/** The next interval begins, and the sender looks at the clock. */
async function nextInterval(site: Site): Promise<void> {
  site.console.clock.advance(HOUR);
  await site.sender.tick();
}

function expectNothingOf(mails: readonly ReceivedMail[], forbidden: readonly string[]): void {
  for (const mail of mails) {
    for (const text of forbidden) {
      expect(mail.raw, text).not.toContain(text);
      expect(mail.text, text).not.toContain(text);
    }
  }
}

describe('e-mail alerts to investigators', () => {
  it('when a new case, a follow-up and a file arrive in one interval, then one digest at its end says how many of each kind, and no mail carries content, token, file name or case id', async () => {
    const site = await startSite();
    await saveSettings(site.session);
    await site.sender.tick();
    const first = await newCase(site);
    await nextInterval(site);
    expect(site.smtp.mails).toHaveLength(1);
    expect(site.smtp.mails[0]!.text).toContain('- New cases: 1\n');

    const second = await newCase(site);
    await sendFollowup(first, `More about it ${SENTINELS[1]}`);
    await first.upload(utf8Encode(`${SENTINELS[3]} `.repeat(100)));
    // Within the interval, nothing more goes out, however often the sender looks.
    await site.sender.tick();
    site.console.clock.advance(HOUR / 2);
    await site.sender.tick();
    expect(site.smtp.mails).toHaveLength(1);

    await nextInterval(site);
    expect(site.smtp.mails).toHaveLength(2);
    const digest = site.smtp.mails[1]!;
    expect(digest.to).toEqual([ADDRESS]);
    expect(digest.from).toBe(FROM);
    expect(digest.header('Subject')).toBe('Candor: news in your cases');
    expect(digest.header('X-Mailer')).toBeUndefined();
    expect(digest.text).toContain('Test Anti-Corruption Body:\n');
    expect(digest.text).toContain('- New cases: 1\n');
    expect(digest.text).toContain('- Cases with new follow-ups from the reporter: 1\n');
    expect(digest.text).toContain('- Cases with new files from the reporter: 1\n');

    // Nothing new: no mail in the next intervals.
    await nextInterval(site);
    await nextInterval(site);
    expect(site.smtp.mails).toHaveLength(2);

    const caseIds = [first.keys.caseId, second.keys.caseId];
    expectNothingOf(site.smtp.mails, [...SENTINELS, first.token, second.token, ...caseIds, ...caseIds.map((id) => id.slice(0, 8)), 'Bribes']);
    expectNothingOf(site.smtp.mails, site.logLines);
    expect(site.logLines.join('\n')).not.toContain(ADDRESS);
  });

  it('when fifty cases arrive in one interval, then one mail says fifty', async () => {
    const site = await startSite();
    await saveSettings(site.session);
    await site.sender.tick();
    for (let index = 0; index < 50; index += 1) await newCase(site, 'A short report.');
    await site.sender.tick();
    expect(site.smtp.mails).toHaveLength(0);
    await nextInterval(site);
    await nextInterval(site);
    expect(site.smtp.mails).toHaveLength(1);
    expect(site.smtp.mails[0]!.text).toContain('- New cases: 50\n');
  });

  it('when the investigator allows case ids, then the digest lists the short ids and never a whole one', async () => {
    const site = await startSite();
    await saveSettings(site.session, { showCaseIds: true });
    await site.sender.tick();
    const reporter = await newCase(site);
    await nextInterval(site);
    const [mail] = site.smtp.mails;
    expect(mail!.text).toContain(`- New cases: 1 (${reporter.keys.caseId.slice(0, 8)})\n`);
    expect(mail!.raw).not.toContain(reporter.keys.caseId);
  });

  it('when encryption is on, then the mail is one OpenPGP message that the investigator’s key decrypts to the digest, and nothing of the digest is readable without it', async () => {
    const site = await startSite();
    await saveSettings(site.session, { encrypt: true });
    await site.sender.tick();
    await newCase(site);
    await nextInterval(site);
    expect(site.smtp.mails).toHaveLength(1);
    const [mail] = site.smtp.mails;
    expect(mail!.text.trim()).toMatch(/^-----BEGIN PGP MESSAGE-----\n[\s\S]+\n-----END PGP MESSAGE-----$/);
    expect(mail!.raw).not.toContain('New cases');
    expect(mail!.raw).not.toContain('Test Anti-Corruption Body');
    const text = await decryptNotificationText(mail!.text, site.alice.key!.key);
    expect(text).toContain('Test Anti-Corruption Body:\n- New cases: 1\n');
    expect(site.logLines.some((line) => line.includes('"notification-sent"') && line.includes('"encrypted":true'))).toBe(true);
  });

  it('when the SMTP server is down, then attempts back off, the server keeps running, no log line names an address, and a restart delivers the digest once it is back', async () => {
    const probe = await startTestSmtpServer();
    const port = probe.port;
    await probe.close();
    const down = { port, mails: [], connections: 0, close: async () => {} };
    const site = await startSite({ smtp: down });
    await saveSettings(site.session);
    await site.sender.tick();
    await newCase(site);
    await nextInterval(site);
    const failures = () => site.logLines.filter((line) => line.includes('"notification-send-failed"')).length;
    expect(failures()).toBe(1);
    // Each pause doubles: nothing is tried a moment before its end, the next attempt at it.
    for (let attempt = 1; attempt <= 3; attempt += 1) {
      site.console.clock.advance(retryDelayMs(attempt) - 1_000);
      await site.sender.tick();
      expect(failures()).toBe(attempt);
      site.console.clock.advance(1_000);
      await site.sender.tick();
      expect(failures()).toBe(attempt + 1);
    }
    expect(site.logLines.at(-1)).toMatch(/"failure":"E(CONNECTION|SOCKET)"/);
    // The log names neither the recipient nor any host.
    const log = site.logLines.join('\n');
    for (const forbidden of [ADDRESS, 'example.org', '127.0.0.1', String(port)]) expect(log).not.toContain(forbidden);

    // The server process restarts (a new sender on the same database) and the SMTP server is back.
    await site.sender.stop();
    const back = await startTestSmtpServer(port);
    cleanups.push(() => back.close());
    const restarted = createNotificationSender(site.console.intake.config, { storage: site.console.intake.storage, clock: site.console.clock, logger: createJsonLogger((line) => site.logLines.push(line)) })!;
    cleanups.push(() => restarted.stop());
    await restarted.tick();
    expect(back.mails).toHaveLength(0);
    site.console.clock.advance(retryDelayMs(4));
    await restarted.tick();
    expect(back.mails).toHaveLength(1);
    expect(back.mails[0]!.text).toContain('- New cases: 1\n');
    for (let tick = 0; tick < 3; tick += 1) {
      site.console.clock.advance(HOUR);
      await restarted.tick();
    }
    expect(back.mails).toHaveLength(1);
  });

  it('when every attempt fails, then the digest is dropped after the last one and the sender goes on', async () => {
    const probe = await startTestSmtpServer();
    await probe.close();
    const site = await startSite({ smtp: { port: probe.port, mails: [], connections: 0, close: async () => {} } });
    await saveSettings(site.session);
    await site.sender.tick();
    await newCase(site);
    await nextInterval(site);
    for (let attempt = 1; attempt < MAX_SEND_ATTEMPTS; attempt += 1) {
      site.console.clock.advance(retryDelayMs(attempt));
      await site.sender.tick();
    }
    expect(site.logLines.filter((line) => line.includes('"notification-send-failed"'))).toHaveLength(MAX_SEND_ATTEMPTS - 1);
    expect(site.logLines.filter((line) => line.includes('"notification-dropped"'))).toHaveLength(1);
    expect(site.console.intake.storage.notifications.outboxOf(site.alice.id)).toBeUndefined();
    site.console.clock.advance(DAY);
    await site.sender.tick();
    expect(site.logLines.filter((line) => /notification-(send-failed|dropped)/.test(line))).toHaveLength(MAX_SEND_ATTEMPTS);
  });

  it('when alerts are turned off, or never set, then nothing is sent and nothing waits', async () => {
    const site = await startSite();
    await site.sender.tick();
    await newCase(site);
    await nextInterval(site);
    // Turned on, a case recorded for the digest, then turned off before the interval ends.
    const session = await site.console.signIn(site.alice);
    await saveSettings(session);
    await newCase(site);
    await saveSettings(session, { enabled: false });
    await nextInterval(site);
    await nextInterval(site);
    expect(site.smtp.mails).toHaveLength(0);
    expect(site.smtp.connections).toBe(0);
    const { db } = site.console.intake.storage;
    expect(db.prepare('SELECT count(*) FROM notification_events').pluck().get()).toBe(0);
    expect(db.prepare('SELECT count(*) FROM notification_outbox').pluck().get()).toBe(0);
  });

  it('when the server has no SMTP settings, then there is no sender, the intake records no event, and the account page says alerts are off', async () => {
    const site = await startTestConsole({ start: startOfTest() });
    cleanups.push(() => site.close());
    const storage = site.intake.storage;
    // As if an earlier run with SMTP had left the triggers on.
    storage.notifications.setActive(true);
    expect(site.intake.config.notifications).toBeNull();
    expect(createNotificationSender(site.intake.config, { storage, clock: site.clock, logger: createJsonLogger(() => {}) })).toBeNull();
    const alice = await site.account('alice', 'investigator');
    const session = await site.signIn(alice);
    await saveSettings(session);
    const reporter = await TestReporter.create(site.intake);
    await reporter.createCase('A report.');
    expect(storage.db.prepare('SELECT count(*) FROM notification_events').pluck().get()).toBe(0);
    const answer = await session.get('/api/v1/account/notifications').expect(200);
    expect(answer.body).toMatchObject({ available: false, intervalMinutes: null, settings: { email: ADDRESS, enabled: true } });
  });

  it('when a deadline comes near and then passes, then each is alerted once', async () => {
    const site = await startSite();
    await saveSettings(site.session);
    await site.sender.tick();
    await newCase(site);
    await nextInterval(site);
    expect(site.smtp.mails).toHaveLength(1);
    // Received today, to be acknowledged within 7 days: 2 days before that, the alert.
    site.console.clock.advance(4 * DAY);
    await site.sender.tick();
    expect(site.smtp.mails).toHaveLength(1);
    site.console.clock.advance(DAY);
    await site.sender.tick();
    expect(site.smtp.mails).toHaveLength(2);
    expect(site.smtp.mails[1]!.text).toContain('- Cases whose acknowledgment is due within 2 days: 1\n');
    site.console.clock.advance(DAY);
    await site.sender.tick();
    site.console.clock.advance(DAY);
    await site.sender.tick();
    expect(site.smtp.mails).toHaveLength(2);
    site.console.clock.advance(DAY);
    await site.sender.tick();
    expect(site.smtp.mails).toHaveLength(3);
    expect(site.smtp.mails[2]!.text).toContain('- Cases whose acknowledgment deadline has passed: 1\n');
    site.console.clock.advance(DAY);
    await site.sender.tick();
    expect(site.smtp.mails).toHaveLength(3);
  });
});

describe('alert settings in the console', () => {
  it('when an investigator saves settings, then only their own account reads them back; an admin reaches no one’s address', async () => {
    const site = await startSite();
    const before = await site.session.get('/api/v1/account/notifications').expect(200);
    expect(before.body).toEqual({ available: true, hasKey: true, intervalMinutes: 60, daysBeforeDeadline: 2, settings: null, suggested: { enabled: true, encrypt: true, showCaseIds: false } });
    await saveSettings(site.session, { encrypt: true });
    const after = await site.session.get('/api/v1/account/notifications').expect(200);
    expect(after.body.settings).toEqual({ email: ADDRESS, enabled: true, encrypt: true, showCaseIds: false });

    const bob = await site.console.account('bob', 'investigator');
    const bobSession = await site.console.signIn(bob);
    expect((await bobSession.get('/api/v1/account/notifications').expect(200)).body.settings).toBeNull();

    const admin = await site.console.account('root', 'admin');
    const adminSession = await site.console.signIn(admin);
    expect((await adminSession.get('/api/v1/account/notifications')).status).toBe(403);
    expect((await adminSession.send('post', '/api/v1/account/notifications', { email: 'root@example.org', enabled: true, encrypt: false, showCaseIds: false })).status).toBe(403);
    for (const path of ['/api/v1/admin/accounts', '/api/v1/admin/audit']) {
      const answer = await adminSession.get(path);
      expect(JSON.stringify(answer.body)).not.toContain(ADDRESS);
    }
  });

  it('when settings are wrong, then they are refused: an address with a line break, encryption without a key, unknown fields', async () => {
    const site = await startSite();
    for (const email of ['not an address', `${ADDRESS}\r\nBcc: someone@example.org`, '']) {
      expect((await site.session.send('post', '/api/v1/account/notifications', { email, enabled: true, encrypt: false, showCaseIds: false })).status).toBe(400);
    }
    expect((await site.session.send('post', '/api/v1/account/notifications', { email: ADDRESS, enabled: true, encrypt: false, showCaseIds: false, bcc: 'x@example.org' })).status).toBe(400);
    const keyless = await site.console.account('carol', 'investigator', undefined, { key: 'none' });
    const keylessSession = await site.console.signIn(keyless);
    const refused = await keylessSession.send('post', '/api/v1/account/notifications', { email: ADDRESS, enabled: true, encrypt: true, showCaseIds: false });
    expect(refused.status).toBe(400);
    expect(JSON.stringify(refused.body)).toContain('encrypt: no current key');
    expect((await keylessSession.get('/api/v1/account/notifications').expect(200)).body.suggested.encrypt).toBe(false);
  });
});

/** A loopback SOCKS5 proxy (no authentication, CONNECT) standing in for tor's SocksPort; it records where it was asked to connect. */
async function startSocksProxy(targets: string[]): Promise<{ port: number; server: Server }> {
  const server = createServer((client) => {
    client.once('data', () => {
      client.write(Uint8Array.of(5, 0));
      client.once('data', (request) => {
        // Host names (type 3) and IPv4 addresses (type 1): what a client may ask for.
        const ipv4 = request[3] === 1;
        const host = ipv4 ? [...request.subarray(4, 8)].join('.') : request.subarray(5, 5 + request[4]!).toString();
        const port = request.readUInt16BE(ipv4 ? 8 : 5 + request[4]!);
        targets.push(`${host}:${port}`);
        const upstream = connect(port, host, () => {
          client.write(Uint8Array.of(5, 0, 0, 1, 0, 0, 0, 0, 0, 0));
          client.pipe(upstream).pipe(client);
        });
        upstream.on('error', () => client.destroy());
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const address = server.address();
  return { port: typeof address === 'object' && address !== null ? address.port : 0, server };
}

describe('the way to the SMTP server', () => {
  it('when a SOCKS5 proxy and a login with its password in a file are configured, then the alert goes through the proxy, signed in', async () => {
    const login = { user: 'candor', password: 'SMTP-PASSWORD-SENTINEL-44' };
    const smtp = await startTestSmtpServer(0, login);
    const targets: string[] = [];
    const proxy = await startSocksProxy(targets);
    cleanups.push(() => new Promise<void>((resolve) => proxy.server.close(() => resolve())));
    const secrets = mkdtempSync(join(tmpdir(), 'candor-smtp-'));
    cleanups.push(() => rmSync(secrets, { recursive: true, force: true }));
    writeFileSync(join(secrets, 'smtp-password'), `${login.password}\n`, { mode: 0o600 });
    const site = await startSite({
      smtp,
      env: {
        ...smtpEnv(smtp.port),
        CANDOR_SMTP_USER: login.user,
        CANDOR_SMTP_PASSWORD_FILE: join(secrets, 'smtp-password'),
        CANDOR_SMTP_SOCKS_PROXY: `127.0.0.1:${proxy.port}`,
      },
    });
    await saveSettings(site.session);
    await site.sender.tick();
    await newCase(site);
    await nextInterval(site);
    expect(smtp.mails).toHaveLength(1);
    expect(targets).toEqual([`127.0.0.1:${smtp.port}`]);
    expect(site.logLines.join('\n')).not.toContain(login.password);
  });

  it('when the login is wrong, then the attempt fails with the SMTP status only, and is retried', async () => {
    const smtp = await startTestSmtpServer(0, { user: 'candor', password: 'the right one' });
    const site = await startSite({ smtp, env: { ...smtpEnv(smtp.port), CANDOR_SMTP_USER: 'candor', CANDOR_SMTP_PASSWORD: 'a wrong one' } });
    await saveSettings(site.session);
    await site.sender.tick();
    await newCase(site);
    await nextInterval(site);
    expect(smtp.mails).toHaveLength(0);
    const failure = site.logLines.find((line) => line.includes('"notification-send-failed"'));
    expect(JSON.parse(failure!)).toEqual({ level: 'warn', event: 'notification-send-failed', attempt: 1, retryInMinutes: 1, failure: 'EAUTH', smtpStatus: 535 });
  });
});
