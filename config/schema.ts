/**
 * The one configuration schema. Every key has a documented default and an environment variable;
 * values come from the defaults, then a JSON file, then the environment, and are validated at boot.
 * No key has a secret default: secrets (directory keys, passwords) never live in this configuration;
 * the one secret the server itself needs, the SMTP password, comes from a variable or a file of its own.
 */
import { join } from 'node:path';
import { z } from 'zod';

const MiB = 1024 * 1024;
const port = z.coerce.number().int().min(1).max(65_535);
const positiveInt = z.coerce.number().int().positive();

interface Setting<T extends z.ZodType> {
  readonly env: string;
  readonly doc: string;
  readonly schema: T;
}

function setting<T extends z.ZodType>(env: string, doc: string, schema: T): Setting<T> {
  return { env, doc, schema };
}

/** Every key, by dotted path in the JSON file. */
export const SETTINGS = {
  'intake.host': setting('CANDOR_INTAKE_HOST', 'Address the intake listens on; loopback, Tor reaches it there.', z.string().min(1).default('127.0.0.1')),
  'intake.port': setting('CANDOR_INTAKE_PORT', 'Port of the intake (whistleblowers, reporters).', port.default(8080)),
  'intake.clientDir': setting('CANDOR_INTAKE_CLIENT_DIR', 'Directory of the built intake client that the intake serves.', z.string().min(1).default('dist/intake')),
  'intake.pinnedKeysFile': setting('CANDOR_PINNED_KEYS_FILE', 'JSON file of the directory keys both clients trust, per body, compiled into them when they are built; by default pinned-directory-keys.json in the data directory.', z.string().min(1).optional()),
  'console.host': setting('CANDOR_CONSOLE_HOST', 'Address the review console listens on.', z.string().min(1).default('127.0.0.1')),
  'console.port': setting('CANDOR_CONSOLE_PORT', 'Port of the review console (investigators).', port.default(8081)),
  'console.clientDir': setting('CANDOR_CONSOLE_CLIENT_DIR', 'Directory of the built console client that the console serves.', z.string().min(1).default('dist/console')),
  'console.origin': setting('CANDOR_CONSOLE_ORIGIN', "Origin investigators' browsers open (http://<onion address> in production); security keys are bound to its host name. By default http://localhost:<console.port>.", z.url({ protocol: /^https?$/ }).optional()),
  'console.sessionIdleMinutes': setting('CANDOR_CONSOLE_SESSION_IDLE_MINUTES', 'Minutes without a request after which a console session ends.', positiveInt.default(30)),
  'console.sessionMaxHours': setting('CANDOR_CONSOLE_SESSION_MAX_HOURS', 'Hours after sign-in after which a console session ends, active or not.', positiveInt.default(12)),
  demo: setting('CANDOR_DEMO', 'On first run, when the database has no body, create the DEMO body and accounts (printed secrets). Turn it off in production.', z.union([z.boolean(), z.stringbool()]).default(true)),
  dataDir: setting('CANDOR_DATA_DIR', 'Directory of the SQLite database and the blob store.', z.string().min(1).default('./data')),
  'limits.requestBodyBytes': setting('CANDOR_LIMIT_REQUEST_BODY_BYTES', 'Largest JSON request body; refused before parsing.', positiveInt.default(2 * MiB)),
  'limits.uploadChunkBytes': setting('CANDOR_LIMIT_UPLOAD_CHUNK_BYTES', 'Largest piece of one resumable upload request.', positiveInt.default(4 * MiB)),
  'limits.attachmentBytes': setting('CANDOR_LIMIT_ATTACHMENT_BYTES', 'Largest encrypted attachment.', positiveInt.default(1024 * MiB)),
  'limits.caseBytes': setting('CANDOR_LIMIT_CASE_BYTES', 'Largest total of all encrypted objects of one case.', positiveInt.default(2048 * MiB)),
  'limits.attachmentsPerCase': setting('CANDOR_LIMIT_ATTACHMENTS_PER_CASE', 'Most attachments one case may hold.', positiveInt.default(50)),
  'limits.followupsPerCase': setting('CANDOR_LIMIT_FOLLOWUPS_PER_CASE', 'Most follow-ups one case may hold.', positiveInt.default(100)),
  'limits.followupBytesPerCase': setting('CANDOR_LIMIT_FOLLOWUP_BYTES_PER_CASE', 'Largest total of the encrypted follow-ups of one case, with their reporter copies.', positiveInt.default(32 * MiB)),
  'limits.unfinishedUploadDays': setting(
    'CANDOR_LIMIT_UNFINISHED_UPLOAD_DAYS',
    'Days after the day an upload started at which it is deleted, bytes and all, if it was not completed (only days are stored, so 1 means 24 to 48 hours).',
    positiveInt.default(1),
  ),
  'limits.connections': setting('CANDOR_LIMIT_CONNECTIONS', 'Most connections each app (intake, console) holds open at once; a connection past it is closed at once.', positiveInt.default(512)),
  'limits.requestSeconds': setting('CANDOR_LIMIT_REQUEST_SECONDS', 'Longest time one request may take to arrive, headers and body; a slower one is cut off.', positiveInt.default(120)),
  'budgets.totalBytes': setting('CANDOR_BUDGET_TOTAL_BYTES', 'Storage budget: the most bytes all cases together may hold; past it the intake refuses new data (507) until cases are purged or deleted.', positiveInt.default(100 * 1024 * MiB)),
  'budgets.dailyIntakeBytes': setting(
    'CANDOR_BUDGET_DAILY_INTAKE_BYTES',
    'Most bytes of follow-ups and files the intake takes in per day (UTC); past it they wait for the next day, while new reports (text) are still taken.',
    positiveInt.default(10 * 1024 * MiB),
  ),
  'rateLimits.reporterRequestsPerMinute': setting('CANDOR_RATE_REPORTER_REQUESTS_PER_MINUTE', 'Requests per case and minute on reporter routes, counted once a request is authenticated.', positiveInt.default(600)),
  'proofOfWork.difficultyBits': setting('CANDOR_POW_DIFFICULTY_BITS', 'Leading zero bits the browser must find before creating a case while the intake is quiet.', z.coerce.number().int().min(0).max(32).default(18)),
  'proofOfWork.maxDifficultyBits': setting(
    'CANDOR_POW_MAX_DIFFICULTY_BITS',
    'The most leading zero bits the proof of work asks for in a flood: each bit doubles the work (22 is 16 times the quiet default, about a minute in Tor Browser).',
    z.coerce.number().int().min(0).max(32).default(22),
  ),
  'proofOfWork.quietCreationsPerHour': setting(
    'CANDOR_POW_QUIET_CREATIONS_PER_HOUR',
    'Cases created per hour (whole intake) up to which the proof of work stays at difficultyBits; every doubling of the rate above it adds a bit.',
    positiveInt.default(120),
  ),
  'logging.requestCountsMinutes': setting(
    'CANDOR_LOG_REQUEST_COUNTS_MINUTES',
    'The intake logs how many requests each route answered, per status, at every multiple of this many minutes since 00:00 UTC (never one line per request); a line dates the requests it counts to within the interval.',
    positiveInt.default(1440),
  ),
  'notifications.smtp.host': setting(
    'CANDOR_SMTP_HOST',
    "SMTP server through which investigators' e-mail alerts are sent (its submission service); alerts are off unless it is set.",
    z.string().min(1).optional(),
  ),
  'notifications.smtp.port': setting('CANDOR_SMTP_PORT', 'Port of the SMTP server: 587 for STARTTLS, 465 for TLS from the first byte.', port.default(587)),
  'notifications.smtp.security': setting(
    'CANDOR_SMTP_SECURITY',
    'How the connection is secured: starttls (it fails unless the server offers STARTTLS), tls (TLS from the first byte, port 465), or none (plain text: only to a relay on loopback).',
    z.enum(['starttls', 'tls', 'none']).default('starttls'),
  ),
  'notifications.smtp.user': setting('CANDOR_SMTP_USER', 'User name at the SMTP server; unset: no authentication. Its password comes from CANDOR_SMTP_PASSWORD or notifications.smtp.passwordFile.', z.string().min(1).optional()),
  'notifications.smtp.passwordFile': setting('CANDOR_SMTP_PASSWORD_FILE', 'File whose first line is the SMTP password (the alternative to the variable CANDOR_SMTP_PASSWORD); read at start-up, never logged.', z.string().min(1).optional()),
  'notifications.smtp.socksProxy': setting(
    'CANDOR_SMTP_SOCKS_PROXY',
    "Address (host:port) of a SOCKS5 proxy, such as Tor's SocksPort, through which to reach the SMTP server; unset: directly.",
    z.string().regex(/^[^\s:]+:\d{1,5}$/, 'host:port').optional(),
  ),
  'notifications.from': setting('CANDOR_NOTIFICATIONS_FROM', 'Sender address of the alerts; needed with notifications.smtp.host.', z.email().max(254).optional()),
  'notifications.intervalMinutes': setting(
    'CANDOR_NOTIFICATIONS_INTERVAL_MINUTES',
    'Alerts go out as one digest per investigator at each multiple of this many minutes (since 1970-01-01 00:00 UTC: on the hour for 60), never more often, however many events.',
    positiveInt.max(1440).default(60),
  ),
  'notifications.daysBeforeDeadline': setting(
    'CANDOR_NOTIFICATIONS_DAYS_BEFORE_DEADLINE',
    'An alert says an acknowledgment or feedback deadline is near this many days before it (0: only once it has passed); a passed deadline is alerted too.',
    z.coerce.number().int().min(0).max(90).default(2),
  ),
  'retention.days': setting('CANDOR_RETENTION_DAYS', 'Default days a closed case is kept before it may be purged.', positiveInt.default(1825)),
  'statistics.minimumCount': setting(
    'CANDOR_STATISTICS_MINIMUM_COUNT',
    'Published statistics show any count below this as "fewer than N" and round the others to a multiple of it; at least 3.',
    // 1 publishes exact counts and the median of a single case; 3 is the smallest threshold of
    // statistical disclosure control in common use, and the smallest that hides pairs.
    z.coerce.number().int().min(3, 'must be at least 3: below that, "fewer than N" and rounding no longer hide single cases').default(5),
  ),
} as const;

export type SettingKey = keyof typeof SETTINGS;

/** The variable that gives the SMTP password; never a key of the JSON file. */
export const SMTP_PASSWORD_VARIABLE = 'CANDOR_SMTP_PASSWORD';

/** A secret held in memory: printing, logging or serialising it shows none of its characters. */
export class Secret {
  readonly #value: string;
  constructor(value: string) {
    this.#value = value;
  }
  reveal(): string {
    return this.#value;
  }
  toString(): string {
    return '[secret]';
  }
  toJSON(): string {
    return '[secret]';
  }
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return '[secret]';
  }
}

/** Where the SMTP password comes from: the variable (read at boot) or a file (read when the sender starts). */
export type SmtpPassword = { readonly secret: Secret } | { readonly file: string };

export interface NotificationsConfig {
  readonly smtp: {
    readonly host: string;
    readonly port: number;
    readonly security: 'starttls' | 'tls' | 'none';
    readonly auth: { readonly user: string; readonly password: SmtpPassword } | null;
    readonly socksProxy: { readonly host: string; readonly port: number } | null;
  };
  readonly from: string;
  readonly intervalMinutes: number;
  readonly daysBeforeDeadline: number;
}

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '::1', '[::1]']);

/** Keys of earlier versions, with what took their place, so an old file fails with directions. */
const REPLACED_KEYS: Readonly<Record<string, string>> = {
  'rateLimits.caseCreationsPerHour':
    'replaced by proofOfWork.quietCreationsPerHour: case creation is no longer capped, the proof of work gets harder instead (README.md, Configuration)',
};
/** Secrets someone may try to put in the file, with where they go instead. */
const SECRET_KEYS: Readonly<Record<string, string>> = {
  'notifications.smtp.password': 'a secret never goes in the configuration file: set CANDOR_SMTP_PASSWORD or notifications.smtp.passwordFile',
};
const REPLACED_VARIABLES: Readonly<Record<string, string>> = { CANDOR_RATE_CASE_CREATIONS_PER_HOUR: 'rateLimits.caseCreationsPerHour' };
type Flat = { [K in SettingKey]: z.output<(typeof SETTINGS)[K]['schema']> };

export interface CandorConfig {
  readonly intake: { readonly host: string; readonly port: number; readonly clientDir: string; readonly pinnedKeysFile: string };
  readonly console: {
    readonly host: string;
    readonly port: number;
    readonly clientDir: string;
    readonly origin: string;
    readonly sessionIdleMinutes: number;
    readonly sessionMaxHours: number;
  };
  readonly dataDir: string;
  readonly demo: boolean;
  readonly limits: {
    readonly requestBodyBytes: number;
    readonly uploadChunkBytes: number;
    readonly attachmentBytes: number;
    readonly caseBytes: number;
    readonly attachmentsPerCase: number;
    readonly followupsPerCase: number;
    readonly followupBytesPerCase: number;
    readonly unfinishedUploadDays: number;
    readonly connections: number;
    readonly requestSeconds: number;
  };
  readonly budgets: { readonly totalBytes: number; readonly dailyIntakeBytes: number };
  readonly rateLimits: { readonly reporterRequestsPerMinute: number };
  readonly proofOfWork: { readonly difficultyBits: number; readonly maxDifficultyBits: number; readonly quietCreationsPerHour: number };
  readonly logging: { readonly requestCountsMinutes: number };
  readonly retention: { readonly days: number };
  readonly statistics: { readonly minimumCount: number };
  /** Investigators' e-mail alerts; null (off) unless an SMTP host is configured. */
  readonly notifications: NotificationsConfig | null;
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
  }
}

function lookup(source: Record<string, unknown>, path: string): unknown {
  return path.split('.').reduce<unknown>((node, part) => (typeof node === 'object' && node !== null ? (node as Record<string, unknown>)[part] : undefined), source);
}

const KNOWN_PATHS = new Set(Object.keys(SETTINGS));

function unknownKeys(source: Record<string, unknown>, prefix = ''): string[] {
  return Object.entries(source).flatMap(([key, value]) => {
    const path = prefix + key;
    if (KNOWN_PATHS.has(path)) return [];
    if (typeof value === 'object' && value !== null && !Array.isArray(value) && [...KNOWN_PATHS].some((known) => known.startsWith(`${path}.`))) {
      return unknownKeys(value as Record<string, unknown>, `${path}.`);
    }
    return [path];
  });
}

/**
 * Resolves each key from the environment, else the file's value, else the default, and reports
 * every problem at once, naming the key and the variable that sets it.
 */
export function resolveConfig(file: Record<string, unknown>, env: Readonly<Record<string, string | undefined>>): CandorConfig {
  const problems = unknownKeys(file).map((path) => `${path}: ${REPLACED_KEYS[path] ?? SECRET_KEYS[path] ?? 'not a configuration key'}`);
  for (const [variable, key] of Object.entries(REPLACED_VARIABLES)) {
    if (env[variable] !== undefined) problems.push(`${variable}: ${REPLACED_KEYS[key]}`);
  }
  const flat: Partial<Record<SettingKey, unknown>> = {};
  for (const [key, { env: variable, schema }] of Object.entries(SETTINGS) as [SettingKey, Setting<z.ZodType>][]) {
    const raw = env[variable] ?? lookup(file, key);
    const parsed = schema.safeParse(raw);
    if (parsed.success) flat[key] = parsed.data;
    else problems.push(`${key} (${variable}): ${parsed.error.issues.map((issue) => issue.message).join('; ')}`);
  }
  if (problems.length === 0 && (flat['proofOfWork.maxDifficultyBits'] as number) < (flat['proofOfWork.difficultyBits'] as number)) {
    problems.push('proofOfWork.maxDifficultyBits (CANDOR_POW_MAX_DIFFICULTY_BITS): must be at least proofOfWork.difficultyBits');
  }
  const v = flat as Flat;
  const notifications = problems.length === 0 ? notificationsOf(v, env[SMTP_PASSWORD_VARIABLE], problems) : null;
  if (problems.length > 0) throw new ConfigError(problems);
  return {
    intake: {
      host: v['intake.host'],
      port: v['intake.port'],
      clientDir: v['intake.clientDir'],
      pinnedKeysFile: v['intake.pinnedKeysFile'] ?? join(v.dataDir, 'pinned-directory-keys.json'),
    },
    console: {
      host: v['console.host'],
      port: v['console.port'],
      clientDir: v['console.clientDir'],
      origin: new URL(v['console.origin'] ?? `http://localhost:${v['console.port']}`).origin,
      sessionIdleMinutes: v['console.sessionIdleMinutes'],
      sessionMaxHours: v['console.sessionMaxHours'],
    },
    dataDir: v.dataDir,
    demo: v.demo,
    limits: {
      requestBodyBytes: v['limits.requestBodyBytes'],
      uploadChunkBytes: v['limits.uploadChunkBytes'],
      attachmentBytes: v['limits.attachmentBytes'],
      caseBytes: v['limits.caseBytes'],
      attachmentsPerCase: v['limits.attachmentsPerCase'],
      followupsPerCase: v['limits.followupsPerCase'],
      followupBytesPerCase: v['limits.followupBytesPerCase'],
      unfinishedUploadDays: v['limits.unfinishedUploadDays'],
      connections: v['limits.connections'],
      requestSeconds: v['limits.requestSeconds'],
    },
    budgets: { totalBytes: v['budgets.totalBytes'], dailyIntakeBytes: v['budgets.dailyIntakeBytes'] },
    rateLimits: { reporterRequestsPerMinute: v['rateLimits.reporterRequestsPerMinute'] },
    proofOfWork: {
      difficultyBits: v['proofOfWork.difficultyBits'],
      maxDifficultyBits: v['proofOfWork.maxDifficultyBits'],
      quietCreationsPerHour: v['proofOfWork.quietCreationsPerHour'],
    },
    logging: { requestCountsMinutes: v['logging.requestCountsMinutes'] },
    retention: { days: v['retention.days'] },
    statistics: { minimumCount: v['statistics.minimumCount'] },
    notifications,
  };
}

/** The alerts' settings, or null when no SMTP host is set; a setting that cannot work is added to `problems`. */
function notificationsOf(v: Flat, passwordVariable: string | undefined, problems: string[]): NotificationsConfig | null {
  const host = v['notifications.smtp.host'];
  if (host === undefined) return null;
  const user = v['notifications.smtp.user'];
  const passwordFile = v['notifications.smtp.passwordFile'];
  const from = v['notifications.from'];
  if (from === undefined) problems.push('notifications.from (CANDOR_NOTIFICATIONS_FROM): needed when notifications.smtp.host is set');
  if (v['notifications.smtp.security'] === 'none' && !LOOPBACK_HOSTS.has(host.toLowerCase())) {
    problems.push('notifications.smtp.security (CANDOR_SMTP_SECURITY): none sends in plain text, allowed only to a relay on loopback (localhost, 127.0.0.1, ::1)');
  }
  if (passwordVariable !== undefined && passwordFile !== undefined) problems.push(`notifications.smtp.passwordFile (CANDOR_SMTP_PASSWORD_FILE): give the password either in ${SMTP_PASSWORD_VARIABLE} or in a file, not both`);
  if (user === undefined && (passwordVariable !== undefined || passwordFile !== undefined)) problems.push('notifications.smtp.user (CANDOR_SMTP_USER): needed with a password');
  if (user !== undefined && passwordVariable === undefined && passwordFile === undefined) problems.push(`notifications.smtp.user (CANDOR_SMTP_USER): needs a password, in ${SMTP_PASSWORD_VARIABLE} or notifications.smtp.passwordFile`);
  if (passwordVariable === '') problems.push(`${SMTP_PASSWORD_VARIABLE}: empty`);
  const proxy = v['notifications.smtp.socksProxy'];
  const proxyPort = proxy === undefined ? null : Number(proxy.slice(proxy.lastIndexOf(':') + 1));
  if (proxyPort !== null && (proxyPort < 1 || proxyPort > 65_535)) problems.push('notifications.smtp.socksProxy (CANDOR_SMTP_SOCKS_PROXY): the port must be 1 to 65535');
  if (problems.length > 0 || from === undefined) return null;
  const password: SmtpPassword | null = passwordVariable !== undefined ? { secret: new Secret(passwordVariable) } : passwordFile !== undefined ? { file: passwordFile } : null;
  return {
    smtp: {
      host,
      port: v['notifications.smtp.port'],
      security: v['notifications.smtp.security'],
      auth: user !== undefined && password !== null ? { user, password } : null,
      socksProxy: proxy === undefined || proxyPort === null ? null : { host: proxy.slice(0, proxy.lastIndexOf(':')), port: proxyPort },
    },
    from,
    intervalMinutes: v['notifications.intervalMinutes'],
    daysBeforeDeadline: v['notifications.daysBeforeDeadline'],
  };
}
