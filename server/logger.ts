/**
 * The logger interface. Only metadata may be logged: event names, HTTP methods, route patterns,
 * status codes, coarse duration buckets, error classes. Never bodies, tokens, keys, ids of cases,
 * addresses or user agents, and no timestamps of reporter requests.
 */

export type LogValue = string | number | boolean;
export type LogFields = Readonly<Record<string, LogValue>>;

export interface Logger {
  info(event: string, fields?: LogFields): void;
  warn(event: string, fields?: LogFields): void;
  error(event: string, fields?: LogFields): void;
}

/** JSON lines on stdout/stderr, for the operator's process supervisor. */
export function createJsonLogger(write: (line: string, level: 'info' | 'warn' | 'error') => void = defaultWrite): Logger {
  const log = (level: 'info' | 'warn' | 'error') => (event: string, fields: LogFields = {}) =>
    write(JSON.stringify({ level, event, ...fields }), level);
  return { info: log('info'), warn: log('warn'), error: log('error') };
}

function defaultWrite(line: string, level: 'info' | 'warn' | 'error'): void {
  (level === 'info' ? process.stdout : process.stderr).write(`${line}\n`);
}

export const silentLogger: Logger = { info: () => {}, warn: () => {}, error: () => {} };
