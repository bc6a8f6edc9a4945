/**
 * The bytes a server kept, logged or was sent, as named places, and the search of them for sentinels:
 * for the tests that check that no plaintext or secret ever reaches the server in a readable form.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** Bytes to search, named so that a failure says where the sentinel was. */
export interface Place {
  readonly where: string;
  readonly bytes: Buffer;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

/** Every file under `dir`, but those under the paths in `except` (the built clients, say). */
export function storedFiles(dir: string, except: readonly string[] = []): Place[] {
  return filesUnder(dir)
    .filter((path) => !except.some((skipped) => path.startsWith(skipped)))
    .map((path) => ({ where: path, bytes: readFileSync(path) }));
}

/** A log's lines as one place. */
export function logPlace(where: string, lines: readonly string[]): Place {
  return { where, bytes: Buffer.from(lines.join('\n')) };
}

/** Each request body, and the base64url values in it decoded: JSON bodies carry binary values so. */
export function requestBodyPlaces(bodies: readonly Buffer[]): Place[] {
  const decodedValues = (bytes: Buffer): Buffer[] =>
    [...bytes.toString('latin1').matchAll(/"([A-Za-z0-9_-]{16,})"/g)].map((match) => Buffer.from(match[1]!, 'base64url'));
  return bodies.flatMap((bytes, i) => [bytes, ...decodedValues(bytes)].map((part) => ({ where: `request body ${i}`, bytes: part })));
}

/** The sentinel as text, and in the encodings a careless server might have stored it in. */
export function encodedForms(sentinel: string): Buffer[] {
  const bytes = Buffer.from(sentinel, 'utf8');
  return [bytes, Buffer.from(sentinel, 'utf16le'), Buffer.from(bytes.toString('base64')), Buffer.from(bytes.toString('hex'))];
}

/**
 * `<sentinel> in <where>` for every sentinel found in a place, in any of the forms `formsOf` gives
 * (by default the sentinel as UTF-8 text); empty when none is anywhere.
 */
export function sentinelsFound(
  places: readonly Place[],
  sentinels: readonly string[],
  formsOf: (sentinel: string) => Buffer[] = (sentinel) => [Buffer.from(sentinel, 'utf8')],
): string[] {
  return places.flatMap(({ where, bytes }) =>
    sentinels.filter((sentinel) => formsOf(sentinel).some((form) => bytes.includes(form))).map((sentinel) => `${sentinel} in ${where}`),
  );
}
