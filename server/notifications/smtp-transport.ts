/**
 * Sending one alert over SMTP with nodemailer, as the configuration says: STARTTLS required, TLS from
 * the first byte, or plain text to a relay on loopback; optionally through a SOCKS5 proxy (Tor).
 */
import { readFileSync } from 'node:fs';
import type { Socket } from 'node:net';
import nodemailer from 'nodemailer';
import type { NotificationsConfig } from '../../config/schema';
import { socks5Connect } from '../operations/socks5';

export interface OutgoingMail {
  readonly to: string;
  readonly subject: string;
  readonly text: string;
}

export interface MailTransport {
  send(mail: OutgoingMail): Promise<void>;
  close(): void;
}

/** Refused or failed within these times, an attempt counts as failed and is retried later. */
const CONNECTION_TIMEOUT_MS = 30_000;
const SOCKET_TIMEOUT_MS = 60_000;

/** The SMTP password: from the variable, or the first line of its file (read once, at start). */
export function smtpPassword(config: NotificationsConfig): string | null {
  const password = config.smtp.auth?.password;
  if (password === undefined) return null;
  if ('secret' in password) return password.secret.reveal();
  const line = readFileSync(password.file, 'utf8').split(/\r?\n/, 1)[0] ?? '';
  if (line === '') throw new Error(`The SMTP password file ${password.file} is empty.`);
  return line;
}

export function createSmtpTransport(config: NotificationsConfig): MailTransport {
  const { smtp } = config;
  const password = smtpPassword(config);
  const proxy = smtp.socksProxy;
  const transporter = nodemailer.createTransport({
    host: smtp.host,
    port: smtp.port,
    secure: smtp.security === 'tls',
    requireTLS: smtp.security === 'starttls',
    ignoreTLS: smtp.security === 'none',
    ...(smtp.auth !== null && password !== null ? { auth: { user: smtp.auth.user, pass: password } } : {}),
    // The greeting names this machine otherwise (its host name), to the mail provider and in the
    // Received header that every recipient sees.
    name: 'localhost',
    connectionTimeout: CONNECTION_TIMEOUT_MS,
    greetingTimeout: CONNECTION_TIMEOUT_MS,
    socketTimeout: SOCKET_TIMEOUT_MS,
    disableFileAccess: true,
    disableUrlAccess: true,
    logger: false,
    debug: false,
    ...(proxy === null
      ? {}
      : {
          getSocket: (_options: unknown, callback: (error: Error | null, socket?: { connection: Socket }) => void) => {
            socks5Connect(proxy, { host: smtp.host, port: smtp.port }, CONNECTION_TIMEOUT_MS).then(
              (connection) => callback(null, { connection }),
              (error: unknown) => callback(error as Error),
            );
          },
        }),
  });
  return {
    async send(mail) {
      await transporter.sendMail({ from: config.from, to: mail.to, subject: mail.subject, text: mail.text, xMailer: false });
    },
    close: () => transporter.close(),
  };
}
