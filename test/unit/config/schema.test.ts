import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, resolveConfig, SETTINGS } from '../../../config/schema';

const example = JSON.parse(readFileSync(join(import.meta.dirname, '../../../config/example.json'), 'utf8')) as Record<string, unknown>;

function problemsOf(file: Record<string, unknown>, env: Record<string, string> = {}): readonly string[] {
  try {
    resolveConfig(file, env);
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
}

describe('configuration', () => {
  it('when nothing is configured, then the defaults listen on loopback only', () => {
    const config = resolveConfig({}, {});
    expect(config.intake).toEqual({ host: '127.0.0.1', port: 8080, clientDir: 'dist/intake', pinnedKeysFile: 'data/pinned-directory-keys.json' });
    expect(resolveConfig({}, { CANDOR_DATA_DIR: '/srv/candor' }).intake.pinnedKeysFile).toBe('/srv/candor/pinned-directory-keys.json');
    expect(config.console).toEqual({
      host: '127.0.0.1',
      port: 8081,
      clientDir: 'dist/console',
      origin: 'http://localhost:8081',
      sessionIdleMinutes: 30,
      sessionMaxHours: 12,
    });
    expect(resolveConfig({}, { CANDOR_CONSOLE_PORT: '9001' }).console.origin).toBe('http://localhost:9001');
    expect(resolveConfig({}, { CANDOR_CONSOLE_ORIGIN: 'http://abcdefghij.onion/' }).console.origin).toBe('http://abcdefghij.onion');
    expect(config.dataDir).toBe('./data');
  });

  it('when config/example.json is loaded, then it is valid and equals the defaults it documents', () => {
    expect(resolveConfig(example, {})).toEqual(resolveConfig({}, {}));
  });

  it('when a key is set in the file and in the environment, then the environment wins', () => {
    const config = resolveConfig({ intake: { port: 9000 } }, { CANDOR_INTAKE_PORT: '9100', CANDOR_POW_DIFFICULTY_BITS: '4' });
    expect(config.intake.port).toBe(9100);
    expect(config.proofOfWork.difficultyBits).toBe(4);
  });

  it('when values are wrong, then every problem is reported at once with its key and variable', () => {
    const problems = problemsOf({ intake: { port: 70_000 }, limits: { attachmentBytes: -1 } }, { CANDOR_POW_DIFFICULTY_BITS: 'lots' });
    expect(problems).toHaveLength(3);
    expect(problems.join('\n')).toContain('intake.port (CANDOR_INTAKE_PORT)');
    expect(problems.join('\n')).toContain('limits.attachmentBytes (CANDOR_LIMIT_ATTACHMENT_BYTES)');
    expect(problems.join('\n')).toContain('proofOfWork.difficultyBits (CANDOR_POW_DIFFICULTY_BITS)');
  });

  it('when the statistics threshold is below 3, then it is refused, since it would stop hiding single cases', () => {
    for (const value of ['0', '1', '2']) {
      expect(problemsOf({}, { CANDOR_STATISTICS_MINIMUM_COUNT: value })).toEqual([
        'statistics.minimumCount (CANDOR_STATISTICS_MINIMUM_COUNT): must be at least 3: below that, "fewer than N" and rounding no longer hide single cases',
      ]);
    }
    expect(problemsOf({ statistics: { minimumCount: 1 } })).toHaveLength(1);
    expect(resolveConfig({}, { CANDOR_STATISTICS_MINIMUM_COUNT: '3' }).statistics.minimumCount).toBe(3);
    expect(resolveConfig({}, {}).statistics.minimumCount).toBe(5);
  });

  it('when the file has a key the schema does not know (a typo), then it is refused rather than ignored', () => {
    expect(problemsOf({ intake: { prot: 8080 } })).toEqual(['intake.prot: not a configuration key']);
    expect(problemsOf({ dataDirectory: '/srv' })).toEqual(['dataDirectory: not a configuration key']);
  });

  it('when the settings are listed, then each has its own CANDOR_ variable and a sentence of documentation', () => {
    const variables = Object.values(SETTINGS).map((entry) => entry.env);
    expect(new Set(variables).size).toBe(variables.length);
    for (const entry of Object.values(SETTINGS)) {
      expect(entry.env).toMatch(/^CANDOR_[A-Z_]+$/);
      expect(entry.doc).toMatch(/^[A-Z].*\.$/);
    }
  });
});

describe('README configuration table', () => {
  it('when README.md is read, then it documents every key with its variable', () => {
    const readme = readFileSync(join(import.meta.dirname, '../../../README.md'), 'utf8');
    for (const [key, entry] of Object.entries(SETTINGS)) expect(readme, key).toContain(`| \`${key}\` | \`${entry.env}\` |`);
  });
});

describe('notifications configuration', () => {
  const smtp = { CANDOR_SMTP_HOST: 'smtp.example.org', CANDOR_NOTIFICATIONS_FROM: 'alerts@example.org' };

  it('when no SMTP host is set, then alerts are off, whatever else is', () => {
    expect(resolveConfig({}, {}).notifications).toBeNull();
    expect(resolveConfig({ notifications: { intervalMinutes: 15 } }, { CANDOR_SMTP_USER: 'someone' }).notifications).toBeNull();
  });

  it('when a host and a sender are set, then the defaults are STARTTLS on 587, hourly digests, alerts 2 days before a deadline', () => {
    expect(resolveConfig({}, smtp).notifications).toEqual({
      smtp: { host: 'smtp.example.org', port: 587, security: 'starttls', auth: null, socksProxy: null },
      from: 'alerts@example.org',
      intervalMinutes: 60,
      daysBeforeDeadline: 2,
    });
    expect(resolveConfig({}, { ...smtp, CANDOR_SMTP_SOCKS_PROXY: 'tor:9050' }).notifications?.smtp.socksProxy).toEqual({ host: 'tor', port: 9050 });
  });

  it('when the password comes from the variable, then printing or serialising the configuration shows none of it', async () => {
    const { inspect } = await import('node:util');
    const config = resolveConfig({}, { ...smtp, CANDOR_SMTP_USER: 'candor', CANDOR_SMTP_PASSWORD: 'hunter2-SECRET' });
    const password = config.notifications?.smtp.auth?.password;
    expect(password !== undefined && 'secret' in password && password.secret.reveal()).toBe('hunter2-SECRET');
    for (const shown of [JSON.stringify(config), inspect(config, { depth: 10 }), String(password && 'secret' in password ? password.secret : '')]) expect(shown).not.toContain('hunter2');
  });

  it('when settings cannot work, then each is refused with directions', () => {
    expect(problemsOf({}, { CANDOR_SMTP_HOST: 'smtp.example.org' })).toEqual(['notifications.from (CANDOR_NOTIFICATIONS_FROM): needed when notifications.smtp.host is set']);
    expect(problemsOf({}, { ...smtp, CANDOR_SMTP_SECURITY: 'none' })[0]).toContain('only to a relay on loopback');
    expect(problemsOf({}, { ...smtp, CANDOR_SMTP_HOST: '127.0.0.1', CANDOR_SMTP_SECURITY: 'none' })).toEqual([]);
    expect(problemsOf({}, { ...smtp, CANDOR_SMTP_USER: 'candor' })[0]).toContain('needs a password');
    expect(problemsOf({}, { ...smtp, CANDOR_SMTP_PASSWORD: 'x' })[0]).toContain('needed with a password');
    expect(problemsOf({}, { ...smtp, CANDOR_SMTP_USER: 'candor', CANDOR_SMTP_PASSWORD: 'x', CANDOR_SMTP_PASSWORD_FILE: '/run/secrets/smtp' })[0]).toContain('not both');
    expect(problemsOf({ notifications: { smtp: { password: 'in the file' } } }, smtp)).toEqual([
      'notifications.smtp.password: a secret never goes in the configuration file: set CANDOR_SMTP_PASSWORD or notifications.smtp.passwordFile',
    ]);
    expect(problemsOf({}, { ...smtp, CANDOR_NOTIFICATIONS_FROM: 'alerts@example.org\r\nBcc: x@example.org' })).toHaveLength(1);
    expect(problemsOf({}, { ...smtp, CANDOR_NOTIFICATIONS_INTERVAL_MINUTES: '0' })).toHaveLength(1);
  });
});
