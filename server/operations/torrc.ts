/**
 * Renders config/torrc.template: the tor configuration of the two onion services (intake, and the
 * review console with client authorization). Pure apart from `readTorrcTemplate`, so that the same
 * function serves the image build, the admin command and the tests that run `tor --verify-config`.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';

export const TORRC_TEMPLATE_FILE = resolve(import.meta.dirname, '../../config/torrc.template');

/** Where the tor image keeps its state (a named volume); tor's own default on Debian. */
export const TOR_IMAGE_DATA_DIRECTORY = '/var/lib/tor';

/** An error in what the torrc was asked to hold; its message names the field. */
export class TorrcError extends Error {
  override readonly name = 'TorrcError';
}

// Plain absolute paths only: a space, quote or "#" would need torrc quoting, and none is needed.
const torPath = z
  .string()
  .regex(/^\/[A-Za-z0-9._/-]*$/, 'an absolute path of letters, digits, ".", "_", "-" and "/"')
  .refine((path) => !path.split('/').includes('..'), 'a path without ".."');

const target = z
  .object({
    // tor's HiddenServicePort takes an address, never a host name (it would not resolve it).
    address: z.union([z.ipv4(), z.ipv6()], { error: 'an IP address (tor does not resolve host names here)' }),
    port: z.int().min(1).max(65_535),
  })
  .strict();

const torrcInputSchema = z
  .object({
    dataDirectory: torPath,
    intake: target,
    console: target,
    /** False renders the torrc without the console's onion service (see the template). */
    withConsole: z.boolean(),
  })
  .strict();

export type TorrcInput = z.input<typeof torrcInputSchema>;

/** The onion services' directories inside tor's data directory: `hostname` and keys live there. */
export function onionServiceDirectories(dataDirectory: string): { intake: string; console: string; consoleClients: string } {
  const base = dataDirectory.replace(/\/+$/, '');
  return { intake: `${base}/intake`, console: `${base}/console`, consoleClients: `${base}/console/authorized_clients` };
}

function targetOf({ address, port }: z.output<typeof target>): string {
  return `${address.includes(':') ? `[${address}]` : address}:${port}`;
}

const CONSOLE_SECTION = /^## BEGIN console\b.*?^## END console\n/ms;
const PLACEHOLDER = /\{\{(\w+)\}\}/g;

export function renderTorrc(template: string, input: TorrcInput): string {
  const parsed = torrcInputSchema.safeParse(input);
  if (!parsed.success) {
    throw new TorrcError(`Cannot render the torrc: ${parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')}`);
  }
  const { dataDirectory, intake, console, withConsole } = parsed.data;
  if (!CONSOLE_SECTION.test(template)) throw new TorrcError('The torrc template has no "## BEGIN console" … "## END console" section.');
  const directories = onionServiceDirectories(dataDirectory);
  const values: Record<string, string> = {
    dataDirectory,
    intakeServiceDir: directories.intake,
    intakeTarget: targetOf(intake),
    consoleServiceDir: directories.console,
    consoleTarget: targetOf(console),
  };
  const selected = withConsole ? template : template.replace(CONSOLE_SECTION, '');
  return selected.replace(PLACEHOLDER, (placeholder, name: string) => {
    const value = values[name];
    if (value === undefined) throw new TorrcError(`The torrc template has an unknown placeholder ${placeholder}.`);
    return value;
  });
}

export function readTorrcTemplate(path = TORRC_TEMPLATE_FILE): string {
  return readFileSync(path, 'utf8');
}
