/**
 * The versioned header in front of every stored object: magic "CNDR", format version, kind and
 * algorithm. Parsers check it first and refuse anything they do not know.
 */
import { concatBytes } from './bytes';
import { CryptoError } from './errors';

export const ENVELOPE_MAGIC = Uint8Array.of(0x43, 0x4e, 0x44, 0x52); // "CNDR"
export const ENVELOPE_VERSION = 1;
export const ENVELOPE_HEADER_BYTES = ENVELOPE_MAGIC.length + 3;

export const ALGORITHM = { openpgp: 1, naclBox: 2 } as const;
export type Algorithm = keyof typeof ALGORITHM;

/** Each kind has one code and one algorithm; the table is the registry of protocol version 1. */
export const ENVELOPE_KINDS = {
  report: { code: 1, algorithm: 'openpgp' },
  followup: { code: 2, algorithm: 'openpgp' },
  note: { code: 3, algorithm: 'openpgp' },
  'reply-copy': { code: 4, algorithm: 'openpgp' },
  attachment: { code: 5, algorithm: 'openpgp' },
  reply: { code: 6, algorithm: 'naclBox' },
  'reporter-copy': { code: 7, algorithm: 'naclBox' },
} as const satisfies Record<string, { code: number; algorithm: Algorithm }>;
export type EnvelopeKind = keyof typeof ENVELOPE_KINDS;

export type OpenPgpKind = { [K in EnvelopeKind]: (typeof ENVELOPE_KINDS)[K]['algorithm'] extends 'openpgp' ? K : never }[EnvelopeKind];
export type SealedKind = Exclude<EnvelopeKind, OpenPgpKind>;

export function envelopeHeader(kind: EnvelopeKind): Uint8Array {
  const { code, algorithm } = ENVELOPE_KINDS[kind];
  return concatBytes(ENVELOPE_MAGIC, Uint8Array.of(ENVELOPE_VERSION, code, ALGORITHM[algorithm]));
}

export interface ParsedEnvelope {
  readonly kind: EnvelopeKind;
  readonly header: Uint8Array;
  readonly payload: Uint8Array;
}

/** Reads the header of `bytes` (which may hold only the first bytes of a stream). */
export function parseEnvelopeHeader(bytes: Uint8Array): EnvelopeKind {
  if (bytes.length < ENVELOPE_HEADER_BYTES || !ENVELOPE_MAGIC.every((byte, i) => bytes[i] === byte)) {
    throw new CryptoError('envelope-invalid', 'This is not a Candor envelope.');
  }
  const [version, code, algorithm] = bytes.subarray(ENVELOPE_MAGIC.length, ENVELOPE_HEADER_BYTES);
  if (version !== ENVELOPE_VERSION) {
    throw new CryptoError('envelope-unknown-version', `Envelope format version ${version} is not supported.`);
  }
  const entry = Object.entries(ENVELOPE_KINDS).find(([, value]) => value.code === code);
  if (entry === undefined || ALGORITHM[entry[1].algorithm] !== algorithm) {
    throw new CryptoError('envelope-invalid', 'The envelope names an unknown kind or algorithm.');
  }
  return entry[0] as EnvelopeKind;
}

/** Splits an envelope and insists on the kind the caller expects. */
export function openEnvelope(bytes: Uint8Array, expected: EnvelopeKind): ParsedEnvelope {
  const kind = parseEnvelopeHeader(bytes);
  if (kind !== expected) throw new CryptoError('envelope-wrong-kind', `Expected a ${expected}, found a ${kind}.`);
  return {
    kind,
    header: bytes.subarray(0, ENVELOPE_HEADER_BYTES),
    payload: bytes.subarray(ENVELOPE_HEADER_BYTES),
  };
}
