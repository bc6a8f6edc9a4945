/**
 * Fuzzes every intake route with seeded random requests: random JSON, valid bodies with one thing
 * broken, random bytes under random content types and encodings, random ids, offsets and headers.
 * Whatever arrives, the intake must answer with a 2xx or a JSON 4xx that names a code and shows no
 * stack, and what it stored must stay whole. CANDOR_FUZZ_SEED replays another sequence; a failure
 * lists the seed, iteration and request that caused it.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { deflateSync, gzipSync } from 'node:zlib';
import request from 'supertest';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  encryptReport,
  newAttachmentId,
  parseEnvelopeHeader,
  sealReply,
  signCaseRequest,
  solveProofOfWork,
  toBase64Url,
  utf8Encode,
  type CaseKeys,
  type EnvelopeKind,
} from '../../../crypto/index';
import { APP_ERRORS } from '../../../server/errors';
import { sha256Hex, startTestIntake, TestReporter, type TestIntake } from '../../helpers/intake';
import { Random } from '../../helpers/random';

const SEED = Number(process.env.CANDOR_FUZZ_SEED ?? 0x5eed_c0de);
/** About 3000 requests in all; signed ones cost two Ed25519 operations each, so they get fewer. */
const PUBLIC_REQUESTS_PER_ROUTE = 500;
const SIGNED_REQUESTS_PER_ROUTE = 170;


/** Each route gets its own stream, so one route's failure replays without running the others. */
function seedFor(name: string): number {
  let hash = 0x811c9dc5;
  for (const char of name) hash = Math.imul(hash ^ char.charCodeAt(0), 0x01000193);
  return (hash ^ SEED) >>> 0;
}

const HEX = '0123456789abcdef';
const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const BASE64 = `${BASE64URL.slice(0, 62)}+/=`;
const PRINTABLE = Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i)).join('');
const UNICODE = ['é', '漢', '🙂', '\u0000', '\u202e', '\ufeff', '\ud800', '\udfff', '"', '\\', '\n', 'a', '0'];
/** Over the 2 MiB JSON limit; built once because building it per request would dominate the run. */
const OVERSIZED = 'A'.repeat(2 * 1024 * 1024 + 16);
const LARGE = 'A'.repeat(300_000);

const INTERESTING_STRINGS = [
  '', ' ', '0', '-1', 'null', 'true', '[]', '{}', '__proto__', 'constructor', 'prototype', '../../etc/passwd',
  '..%2F..%2F', '%00', '\u0000', '\ud800', '\u202e', '<script>alert(1)</script>', "' OR 1=1 --", '=', '====',
  'A'.repeat(22), 'A'.repeat(21), 'A'.repeat(23), 'a'.repeat(64), 'A'.repeat(64), '0'.repeat(64), 'g'.repeat(64),
  'demo-anti-corruption-office', 'test-anti-corruption-body', LARGE,
];
const INTERESTING_NUMBERS = [0, -0, 1, -1, 1.5, 0.1, 2 ** 31, 2 ** 32, 2 ** 53, 2 ** 53 + 2, -(2 ** 63), 1e308, -1e308, Number.MIN_VALUE, 4 * 1024 * 1024];

function randomLength(rng: Random): number {
  return rng.pick([0, 1, rng.between(1, 40), 22, 43, 44, 64, 65, rng.between(100, 5000), rng.chance(0.1) ? rng.between(100_000, 300_000) : 7]);
}

function randomString(rng: Random): string {
  const length = randomLength(rng);
  return rng.string(length, rng.pick([HEX, BASE64URL, BASE64, PRINTABLE, UNICODE]));
}

function randomJson(rng: Random, depth = 0): unknown {
  switch (rng.int(depth > 3 ? 6 : 8)) {
    case 0:
      return null;
    case 1:
      return rng.chance(0.5);
    case 2:
      return rng.pick(INTERESTING_NUMBERS);
    case 3:
      return rng.between(-1_000_000, 1_000_000);
    case 4:
      return rng.pick(INTERESTING_STRINGS);
    case 5:
      return randomString(rng);
    case 6:
      return Array.from({ length: rng.int(5) }, () => randomJson(rng, depth + 1));
    default: {
      const object: Record<string, unknown> = {};
      const keys = ['bodyId', 'caseId', 'report', 'size', 'uploadId', 'sha256', 'message', 'proofOfWork', '__proto__', 'constructor'];
      for (let i = rng.int(5); i > 0; i--) object[rng.chance(0.5) ? rng.pick(keys) : rng.string(rng.between(0, 12), PRINTABLE)] = randomJson(rng, depth + 1);
      return object;
    }
  }
}

/** A string that is almost, or not at all, the base64url a field wants. */
function brokenBase64(rng: Random, valid: string): string {
  switch (rng.int(9)) {
    case 0:
      return valid.slice(0, rng.int(valid.length));
    case 1:
      return `${valid}A`;
    case 2:
      return `${valid.replaceAll('-', '+').replaceAll('_', '/')}==`;
    case 3:
      // The last character carries unused bits; changing them makes a non-canonical encoding.
      return valid.slice(0, -1) + (valid.endsWith('B') ? 'C' : 'B');
    case 4:
      return ` ${valid}`;
    case 5:
      return rng.string(randomLength(rng), BASE64URL);
    case 6:
      return rng.string(rng.between(1, 64), PRINTABLE);
    case 7:
      return rng.chance(0.2) ? OVERSIZED : LARGE;
    default:
      return '';
  }
}

const DEEP = (depth: number) => `${'{"a":['.repeat(depth)}1${']}'.repeat(depth)}`;

/** Applies one to three mutations to a valid object: drop, retype, break, add, or replace a field. */
function mutateObject(rng: Random, valid: Record<string, unknown>, breakers: Record<string, (value: unknown) => unknown>): { value: unknown; note: string } {
  if (rng.chance(0.05)) return { value: valid, note: 'unchanged' };
  if (rng.chance(0.08)) return { value: randomJson(rng), note: 'random JSON' };
  const value: Record<string, unknown> = { ...valid };
  const notes: string[] = [];
  for (let n = rng.between(1, 3); n > 0; n--) {
    const fields = Object.keys(value);
    const field = fields.length > 0 ? rng.pick(fields) : 'nothing';
    switch (rng.int(6)) {
      case 0:
        Reflect.deleteProperty(value, field);
        notes.push(`drop ${field}`);
        break;
      case 1:
        value[field] = randomJson(rng);
        notes.push(`retype ${field}`);
        break;
      case 2: {
        const breaker = breakers[field];
        value[field] = breaker ? breaker(value[field]) : randomString(rng);
        notes.push(`break ${field}`);
        break;
      }
      case 3:
        value[rng.pick(['extra', '__proto__', 'constructor', rng.string(rng.between(1, 10), PRINTABLE)])] = randomJson(rng);
        notes.push('add a field');
        break;
      case 4:
        value[field] = { nested: value[field], more: [value[field], randomJson(rng)] };
        notes.push(`nest ${field}`);
        break;
      default:
        value[field] = '\u0000DEEP\u0000';
        notes.push(`deeply nest ${field}`);
    }
  }
  if (rng.chance(0.05)) return { value: [value], note: `${notes.join(', ')}, in an array` };
  return { value, note: notes.join(', ') };
}

interface Payload {
  readonly bytes: Uint8Array;
  readonly headers: Record<string, string>;
  readonly note: string;
  /** The bytes the server sees after undoing a content encoding: what a signature must cover. */
  readonly decoded: Uint8Array;
}

const CONTENT_TYPES = [
  'application/json', 'application/json; charset=utf-8', 'application/json; charset=utf-16', 'application/json; charset=latin1',
  'application/json; charset=nonsense', 'application/vnd.api+json', 'text/plain', 'text/plain; charset=utf-8',
  'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/octet-stream', 'a/b; c', ';;;', 'json',
];

/** Serialises a value as JSON text, sometimes damaged, and sends it with some content type and encoding. */
function jsonPayload(rng: Random, value: unknown, note: string): Payload {
  let text = JSON.stringify(value) ?? 'undefined';
  text = text.replaceAll('"\\u0000DEEP\\u0000"', DEEP(rng.pick([10, 500, 5000])));
  const damage = rng.int(14);
  if (damage === 0) text = text.slice(0, rng.int(text.length + 1));
  if (damage === 1) text = `\ufeff${text}`;
  if (damage === 2) text = text.replace('{', '{"caseId":"x","caseId":1,');
  if (damage === 3) text = text.replace(/\d+/, '1e999');
  if (damage === 4) text += rng.string(rng.between(1, 8), PRINTABLE);
  if (damage === 5) text = DEEP(rng.pick([100, 10_000, 100_000]));
  let bytes: Uint8Array = utf8Encode(text);
  if (damage === 6) bytes = rng.bytes(rng.between(0, 2000));
  const contentType = rng.chance(0.8) ? 'application/json' : rng.chance(0.9) ? rng.pick(CONTENT_TYPES) : '';
  return encoded(rng, bytes, contentType, `${note}; JSON damage ${damage}`);
}

/** Sometimes claims (truthfully or not) that the body is compressed. */
function encoded(rng: Random, decoded: Uint8Array, contentType: string, note: string): Payload {
  const headers: Record<string, string> = contentType === '' ? {} : { 'Content-Type': contentType };
  const choice = rng.int(20);
  if (choice === 0) return { bytes: gzipSync(decoded), decoded, headers: { ...headers, 'Content-Encoding': 'gzip' }, note: `${note}; gzip` };
  if (choice === 1) return { bytes: deflateSync(decoded), decoded, headers: { ...headers, 'Content-Encoding': 'deflate' }, note: `${note}; deflate` };
  if (choice === 2) {
    const claimed = rng.pick(['gzip', 'deflate', 'br', 'x-unknown', 'gzip, deflate', 'identity']);
    return { bytes: decoded, decoded, headers: { ...headers, 'Content-Encoding': claimed }, note: `${note}; claims ${claimed}` };
  }
  return { bytes: decoded, decoded, headers, note };
}

const NO_BODY: Payload = { bytes: new Uint8Array(0), decoded: new Uint8Array(0), headers: {}, note: 'no body' };

function randomBytesPayload(rng: Random): Payload {
  const length = rng.pick([0, 1, rng.between(2, 100), rng.between(100, 70_000)]);
  return encoded(rng, rng.bytes(length), rng.chance(0.9) ? rng.pick(CONTENT_TYPES) : '', `${length} random bytes`);
}

function concatBytes(first: Uint8Array, second: Uint8Array): Uint8Array {
  const out = new Uint8Array(first.length + second.length);
  out.set(first);
  out.set(second, first.length);
  return out;
}

/** encodeURIComponent, but for any string: it throws on a lone surrogate, which a fuzzer makes. */
function percentEncode(text: string): string {
  return [...utf8Encode(text)].map((byte) => (/[A-Za-z0-9_.~-]/.test(String.fromCharCode(byte)) ? String.fromCharCode(byte) : `%${byte.toString(16).padStart(2, '0').toUpperCase()}`)).join('');
}

/** Mostly an id that exists, so that requests get past validation; otherwise anything. */
function someId(rng: Random, valid: readonly string[]): string {
  return rng.chance(0.6) ? rng.pick(valid) : randomId(rng, valid);
}

/** Path segments that are ids, almost ids, or traps for a decoder. */
function randomId(rng: Random, valid: readonly string[]): string {
  switch (rng.int(8)) {
    case 0:
      return rng.pick(valid);
    case 1:
      return rng.string(22, BASE64URL);
    case 2:
      return percentEncode(randomString(rng).slice(0, 300)) || 'x';
    case 3:
      return rng.pick(['%', '%E0%A4%A', '%ZZ', '%00', '%2F', '%2e%2e', '..', '%C0%AE', '%ff%fe', 'a%', '%u0041']);
    case 4:
      return `${rng.pick(valid)}${rng.pick(['%', '%2F..', '/', 'A', '%00'])}`;
    case 5:
      return rng.string(rng.between(1, 64), `${BASE64URL}.~!$&'()*+,;=:@`);
    case 6:
      return percentEncode(rng.pick(INTERESTING_STRINGS).slice(0, 100)) || 'y';
    default:
      return rng.string(rng.pick([21, 23, 64, 2000]), BASE64URL);
  }
}

interface Answer {
  readonly status: number;
  readonly text: string;
  readonly body: unknown;
  readonly contentType: string;
  readonly nextChallenge: string | undefined;
}

let intake: TestIntake;
let server: Server;
let reporters: TestReporter[];
let ghost: TestReporter;
let creations: Record<string, unknown>[];
let followups: Map<string, Record<string, unknown>>;
/** Next challenges handed out by the intake, per case id, used once as the browser would. */
const chained = new Map<string, string>();
const usedChallenges: string[] = [];

/** Node's default `maxHeaderSize`. */
const HTTP_HEADER_LIMIT = 16 * 1024;

async function send(method: string, path: string, payload: Payload, extraHeaders: Record<string, string> = {}): Promise<Answer> {
  const agent = request(server);
  const headers = { ...payload.headers, ...extraHeaders };
  let pending = agent[method.toLowerCase() as 'get' | 'post' | 'put' | 'delete' | 'patch' | 'options'](path);
  for (const [name, value] of Object.entries(headers)) pending = pending.set(name, value);
  // The identity serializer sends the bytes as they are, whatever the content type claims.
  if (payload.bytes.length > 0) pending = pending.serialize((bytes: unknown) => bytes as string).send(Buffer.from(payload.bytes));
  let response;
  try {
    response = await pending;
  } catch (error) {
    // Over Node's 16 KiB header limit the parser refuses the request before any route, with a 431 that
    // a client still sending its body may not read: the reset is that same refusal at the door.
    const headerBytes = Object.entries(headers).reduce((sum, [name, value]) => sum + name.length + value.length + 4, 0);
    if (headerBytes > HTTP_HEADER_LIMIT && (error as { code?: string }).code === 'ECONNRESET') return { status: 431, text: '', body: null, contentType: '', nextChallenge: undefined };
    throw error;
  }
  return {
    status: response.status,
    text: response.text ?? '',
    body: response.body as unknown,
    contentType: String(response.headers['content-type'] ?? ''),
    nextChallenge: response.headers['candor-next-challenge'] as string | undefined,
  };
}

async function freshChallenge(caseId: string): Promise<string> {
  const response = await request(server).post('/api/v1/case/challenge').send({ caseId });
  if (response.status !== 201) throw new Error(`No challenge: ${response.status} ${response.text}`);
  return response.body.challenge as string;
}

async function challengeFor(caseId: string): Promise<string> {
  const next = chained.get(caseId);
  chained.delete(caseId);
  return next ?? freshChallenge(caseId);
}

/** Signs the request as the reporter's browser would, then sometimes (given a Random) breaks the authentication. */
async function signedSend(rng: Random | null, keys: CaseKeys, method: 'GET' | 'POST' | 'PUT', path: string, payload: Payload): Promise<{ answer: Answer; note: string }> {
  const challenge = await challengeFor(keys.caseId);
  const sign = (overrides: { challenge?: string; method?: string; path?: string; body?: Uint8Array } = {}) =>
    signCaseRequest(keys, { challenge, method, path, body: payload.decoded, ...overrides });
  let headers: Record<string, string> = { 'Candor-Case-Id': keys.caseId, 'Candor-Challenge': challenge, 'Candor-Signature': await sign() };
  if (payload.bytes.length > 0) headers['Candor-Content-SHA256'] = sha256Hex(payload.decoded);
  let note = 'signed';
  if (rng?.chance(0.3)) {
    const other = rng.pick(reporters).keys.caseId;
    const tamper = rng.int(16);
    note = `auth tamper ${tamper}`;
    if (tamper === 0) delete headers['Candor-Case-Id'];
    if (tamper === 1) delete headers['Candor-Challenge'];
    if (tamper === 2) delete headers['Candor-Signature'];
    if (tamper === 3) headers = {};
    if (tamper === 4) headers['Candor-Case-Id'] = rng.string(rng.between(0, 200), PRINTABLE);
    if (tamper === 5) headers['Candor-Case-Id'] = String(keys.caseId).toUpperCase();
    if (tamper === 6) headers['Candor-Case-Id'] = other;
    if (tamper === 7 && usedChallenges.length > 0) headers['Candor-Challenge'] = rng.pick(usedChallenges);
    if (tamper === 8) {
      const foreign = await freshChallenge(other);
      headers['Candor-Challenge'] = foreign;
      headers['Candor-Signature'] = await sign({ challenge: foreign });
    }
    if (tamper === 9) headers['Candor-Challenge'] = rng.string(rng.between(0, 4000), PRINTABLE);
    if (tamper === 10) headers['Candor-Signature'] = toBase64Url(rng.bytes(rng.pick([0, 63, 64, 65, 3000])));
    if (tamper === 11) headers['Candor-Signature'] = rng.string(rng.between(0, 200), PRINTABLE);
    if (tamper === 12) headers['Candor-Signature'] = await sign(rng.pick([{ path: `${path}/` }, { method: method === 'GET' ? 'POST' : 'GET' }, { body: concatBytes(payload.decoded, Uint8Array.of(0)) }]));
    if (tamper === 13) headers[`X-${rng.string(rng.between(1, 20), 'abcdefghijklmnopqrstuvwxyz-')}`] = rng.string(rng.between(0, 300), PRINTABLE);
    if (tamper === 14) headers['Candor-Content-SHA256'] = rng.pick([sha256Hex(rng.bytes(8)), rng.string(rng.between(0, 100), PRINTABLE)]);
    if (tamper === 15) {
      // The digest and the signature agree with each other, not with the body that is sent.
      const other = rng.bytes(rng.between(1, 64));
      headers['Candor-Content-SHA256'] = sha256Hex(other);
      headers['Candor-Signature'] = await sign({ body: other });
    }
  }
  usedChallenges.push(challenge);
  if (usedChallenges.length > 50) usedChallenges.shift();
  const answer = await send(method, path, payload, headers);
  if (answer.nextChallenge !== undefined) chained.set(keys.caseId, answer.nextChallenge);
  return { answer, note };
}

const STACK_TRACE = /\n\s*at |\\n\s*at |node_modules|file:\/\/|\/work\/|\.[cm]?[jt]s:\d+/;

/** What is wrong with an answer, if anything: a 5xx, a stack, or an error not in the one JSON shape. */
function problemsWith(answer: Answer): string[] {
  const problems: string[] = [];
  if (answer.status >= 500) problems.push(`answered ${answer.status}`);
  if (STACK_TRACE.test(answer.text) || answer.text.includes(intake.dataDir)) problems.push('shows a stack trace or a file path');
  // Node's HTTP parser refuses headers over its 16 KiB limit itself, before any route: a clean
  // refusal at the door, without a body.
  if (answer.status === 431 && answer.text === '') return problems;
  if (answer.status >= 400) {
    const error = (answer.body as { error?: { code?: unknown; message?: unknown; details?: unknown } } | null)?.error;
    const keys = Object.keys((answer.body as object | null) ?? {});
    if (!answer.contentType.startsWith('application/json')) problems.push(`error is ${answer.contentType || 'untyped'}, not JSON`);
    else if (error === undefined || keys.length !== 1) problems.push(`error body is not {error}: ${answer.text.slice(0, 200)}`);
    else {
      const code = error.code as keyof typeof APP_ERRORS;
      if (typeof code !== 'string' || !(code in APP_ERRORS)) problems.push(`unknown error code ${String(code)}`);
      else if (APP_ERRORS[code] !== answer.status) problems.push(`code ${code} with status ${answer.status}`);
      if (typeof error.message !== 'string' || error.message.length === 0) problems.push('error without a message');
      if (error.details !== undefined && !(Array.isArray(error.details) && error.details.every((d) => typeof d === 'string'))) problems.push('details are not strings');
      const extra = Object.keys(error).filter((key) => !['code', 'message', 'details'].includes(key));
      if (extra.length > 0) problems.push(`error has extra keys ${extra.join(', ')}`);
    }
  }
  return problems;
}

/** The bad answers of one route, and how often each status came back. */
class Findings {
  readonly statuses = new Map<number, number>();
  private readonly lines: string[] = [];
  private count = 0;

  constructor(private readonly route: string) {}

  check(iteration: number, method: string, path: string, note: string, answer: Answer): void {
    this.statuses.set(answer.status, (this.statuses.get(answer.status) ?? 0) + 1);
    const problems = problemsWith(answer);
    if (problems.length === 0) return;
    this.count++;
    // The first few are enough to reproduce; thousands of lines would hide them.
    if (this.lines.length < 12) {
      this.lines.push(`seed ${SEED}, ${this.route} #${iteration}: ${method} ${path.slice(0, 120)} (${note}) → ${answer.status}: ${problems.join('; ')}`);
    }
  }

  report(): string[] {
    return this.count === 0 ? [] : [`${this.count} bad answers`, ...this.lines];
  }
}

/** The database and blob store are whole: what the fuzzing must never break, however it is answered. */
function expectStorageWhole(): void {
  const db = intake.storage.db;
  expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
  expect(db.pragma('foreign_key_check')).toEqual([]);
  const broken = db
    .prepare(
      `SELECT id FROM cases c
       WHERE length(auth_public_key) != 32 OR length(reply_public_key) != 32
          OR (SELECT count(*) FROM case_objects o WHERE o.case_id = c.id AND o.kind = 'report') != 1`,
    )
    .pluck()
    .all();
  expect(broken).toEqual([]);
  const objects = db.prepare('SELECT kind, ciphertext FROM case_objects').all() as { kind: EnvelopeKind; ciphertext: Buffer }[];
  for (const object of objects) expect(parseEnvelopeHeader(new Uint8Array(object.ciphertext))).toBe(object.kind);
  const attachments = db.prepare('SELECT id, size, sha256 FROM attachments').all() as { id: string; size: number; sha256: string }[];
  for (const attachment of attachments) {
    const blob = readFileSync(join(intake.dataDir, 'blobs', attachment.id));
    expect([blob.length, sha256Hex(blob)]).toEqual([attachment.size, attachment.sha256]);
  }
  const uploads = db.prepare('SELECT id, declared_size AS size FROM uploads').all() as { id: string; size: number }[];
  for (const upload of uploads) {
    const part = join(intake.dataDir, 'uploads', `${upload.id}.part`);
    if (existsSync(part)) expect(statSync(part).size).toBeLessThanOrEqual(upload.size);
  }
}

async function runRoute(route: string, requests: number, fuzzOne: (rng: Random, findings: Findings, iteration: number) => Promise<void>): Promise<void> {
  const rng = new Random(seedFor(route));
  const findings = new Findings(route);
  for (let iteration = 0; iteration < requests; iteration++) await fuzzOne(rng, findings, iteration);
  expect(findings.report()).toEqual([]);
  // A fuzzer refused at the door tests only the door: some requests must have got all the way through.
  expect([...findings.statuses.keys()].some((status) => status < 300), `no 2xx among ${JSON.stringify([...findings.statuses])}`).toBe(true);
  expectStorageWhole();
}

beforeAll(async () => {
  intake = await startTestIntake();
  server = createServer(intake.app);
  // One listening server for all requests: supertest would otherwise open and close one per request.
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  reporters = [];
  for (let i = 0; i < 3; i++) {
    const reporter = await TestReporter.create(intake);
    await reporter.createCase(`fuzz case ${i}`);
    reporters.push(reporter);
  }
  ghost = await TestReporter.create(intake);
  creations = [];
  for (let i = 0; i < 3; i++) creations.push(await (await TestReporter.create(intake)).caseCreationBody(`fuzz creation ${i}`));
  const recipients = await reporters[0]!.recipients();
  followups = new Map();
  for (const reporter of reporters) {
    const message = await encryptReport('a follow-up', recipients, { caseId: reporter.keys.caseId, kind: 'followup' });
    const copy = sealReply(reporter.keys.replyPublicKey, utf8Encode('a follow-up'), 'reporter-copy');
    followups.set(reporter.keys.caseId, { message: toBase64Url(message), reporterCopy: toBase64Url(copy) });
  }
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  intake.close();
});

beforeEach(() => {
  // A chained challenge lives a minute; each route starts with fresh ones rather than stale ones.
  chained.clear();
});

function creationBreakers(rng: Random): Record<string, (value: unknown) => unknown> {
  return {
    report: (value) => (rng.chance(0.3) ? creations[1]!.reporterCopy : brokenBase64(rng, String(value))),
    reporterCopy: (value) => (rng.chance(0.3) ? creations[0]!.report : brokenBase64(rng, String(value))),
    authPublicKey: (value) => brokenBase64(rng, String(value)),
    replyPublicKey: (value) => brokenBase64(rng, String(value)),
    caseId: () => rng.pick(['A'.repeat(64), 'a'.repeat(63), rng.string(64, HEX), rng.string(64, PRINTABLE)]),
    bodyId: () => rng.pick(['no-such-body', 'NOT_A_SLUG', '', rng.string(64, 'abc-'), rng.string(300, 'abc')]),
    proofOfWork: () => rng.pick([{}, { challenge: 'x', nonce: '0' }, { challenge: LARGE, nonce: '0' }, { challenge: 'AAAA', nonce: 'x'.repeat(17) }, [1, 2]]),
  };
}

/** Keys of a case with a row, or sometimes of none, so that both answers are exercised. */
const someone = (rng: Random) => (rng.chance(0.05) ? ghost.keys : rng.pick(reporters).keys);

describe('fuzzing the public routes', () => {
  it('when random and broken case creations arrive, then each is answered cleanly and no case is half stored', async () => {
    await runRoute('POST /api/v1/cases', PUBLIC_REQUESTS_PER_ROUTE, async (rng, findings, iteration) => {
      let payload: Payload;
      let headers: Record<string, string> = {};
      if (rng.chance(0.1)) {
        payload = randomBytesPayload(rng);
      } else {
        const base = { ...rng.pick(creations) };
        // Some bodies get a fresh proof of work and a new case id, so that mutations reach the insert.
        if (rng.chance(0.15)) {
          const pow = await request(server).post('/api/v1/proof-of-work');
          base.proofOfWork = { challenge: pow.body.challenge, nonce: await solveProofOfWork(pow.body.challenge, pow.body.difficultyBits) };
          base.caseId = rng.string(64, HEX);
        }
        const { value, note } = mutateObject(rng, base, creationBreakers(rng));
        // The browser sends the work and the case id as headers, the rest as the body; broken work goes there too.
        const { proofOfWork, ...body } = (typeof value === 'object' && value !== null && !Array.isArray(value) ? value : { body: value }) as Record<string, unknown>;
        const work = proofOfWork as { challenge?: unknown; nonce?: unknown } | undefined;
        // A header can carry only visible ASCII: what a mutation made of the fields goes there when it can.
        const asHeader = (text: string) => (/^[\x20-\x7e]*$/.test(text) ? text : rng.string(rng.between(0, 100), PRINTABLE));
        headers = {
          'Candor-Proof-Of-Work': rng.chance(0.05) ? rng.string(rng.between(0, 300), PRINTABLE) : asHeader(`${String(work?.challenge)}.${String(work?.nonce)}`),
          'Candor-Case-Id': rng.chance(0.05) ? rng.string(rng.between(0, 100), PRINTABLE) : asHeader(String(body.caseId)),
        };
        payload = jsonPayload(rng, rng.chance(0.05) ? value : body, note);
      }
      findings.check(iteration, 'POST', '/api/v1/cases', payload.note, await send('POST', '/api/v1/cases', payload, headers));
    });
  });

  it('when random challenge requests arrive, then each is answered cleanly', async () => {
    await runRoute('POST /api/v1/case/challenge', PUBLIC_REQUESTS_PER_ROUTE, async (rng, findings, iteration) => {
      const payload = rng.chance(0.15)
        ? randomBytesPayload(rng)
        : jsonPayload(rng, mutateObject(rng, { caseId: someone(rng).caseId }, { caseId: () => randomString(rng) }).value, 'challenge');
      findings.check(iteration, 'POST', '/api/v1/case/challenge', payload.note, await send('POST', '/api/v1/case/challenge', payload));
    });
  });

  it('when proofs of work are asked for with random bodies, then each is answered cleanly', async () => {
    await runRoute('POST /api/v1/proof-of-work', PUBLIC_REQUESTS_PER_ROUTE, async (rng, findings, iteration) => {
      const payload = rng.chance(0.5) ? randomBytesPayload(rng) : jsonPayload(rng, randomJson(rng), 'random JSON');
      findings.check(iteration, 'POST', '/api/v1/proof-of-work', payload.note, await send('POST', '/api/v1/proof-of-work', payload));
    });
  });

  it('when bodies are fetched by random ids and methods, then each is answered cleanly', async () => {
    await runRoute('GET /api/v1/bodies/:id', PUBLIC_REQUESTS_PER_ROUTE, async (rng, findings, iteration) => {
      const method = rng.chance(0.8) ? 'GET' : rng.pick(['POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS']);
      const path = rng.chance(0.1) ? `/api/v1/bodies?${randomId(rng, ['a=1'])}` : `/api/v1/bodies/${randomId(rng, ['test-anti-corruption-body', 'no-such-body'])}`;
      const payload = rng.chance(0.2) ? randomBytesPayload(rng) : NO_BODY;
      findings.check(iteration, method, path, payload.note, await send(method, path, payload));
    });
  });
});

describe('fuzzing the signed reporter routes', () => {

  const setupPayload = (bytes: Uint8Array, contentType: string): Payload => ({ bytes, decoded: bytes, headers: { 'Content-Type': contentType }, note: 'setup' });

  /** Starts an upload, untampered, as setup for the routes that need one. */
  async function startUpload(keys: CaseKeys, size: number): Promise<string> {
    const id = newAttachmentId();
    const { answer } = await signedSend(null, keys, 'POST', '/api/v1/case/uploads', setupPayload(utf8Encode(JSON.stringify({ uploadId: id, size })), 'application/json'));
    if (answer.status !== 201) throw new Error(`Setup upload refused: ${answer.status} ${answer.text}`);
    return id;
  }

  it('when the case is read with random bodies and headers, then each read is answered cleanly', async () => {
    await runRoute('GET /api/v1/case', SIGNED_REQUESTS_PER_ROUTE, async (rng, findings, iteration) => {
      const payload = rng.chance(0.6) ? NO_BODY : rng.chance(0.5) ? randomBytesPayload(rng) : jsonPayload(rng, randomJson(rng), 'random JSON');
      const { answer, note } = await signedSend(rng, someone(rng), 'GET', '/api/v1/case', payload);
      findings.check(iteration, 'GET', '/api/v1/case', `${payload.note}; ${note}`, answer);
    });
  });

  it('when random and broken follow-ups arrive, then each is answered cleanly', async () => {
    await runRoute('POST /api/v1/case/followups', SIGNED_REQUESTS_PER_ROUTE, async (rng, findings, iteration) => {
      const keys = someone(rng);
      const valid = followups.get(keys.caseId) ?? followups.values().next().value!;
      const payload = rng.chance(0.15)
        ? randomBytesPayload(rng)
        : jsonPayload(rng, mutateObject(rng, valid, { message: (value) => brokenBase64(rng, String(value)), reporterCopy: (value) => brokenBase64(rng, String(value)) }).value, 'follow-up');
      const { answer, note } = await signedSend(rng, keys, 'POST', '/api/v1/case/followups', payload);
      findings.check(iteration, 'POST', '/api/v1/case/followups', `${payload.note}; ${note}`, answer);
    });
  });

  it('when random and broken upload starts arrive, then each is answered cleanly', async () => {
    await runRoute('POST /api/v1/case/uploads', SIGNED_REQUESTS_PER_ROUTE, async (rng, findings, iteration) => {
      const valid = { uploadId: newAttachmentId(), size: rng.between(1, 100_000) };
      const payload = rng.chance(0.15)
        ? randomBytesPayload(rng)
        : jsonPayload(rng, mutateObject(rng, valid, { uploadId: () => randomId(rng, [valid.uploadId]), size: () => rng.pick(INTERESTING_NUMBERS) }).value, 'upload start');
      const { answer, note } = await signedSend(rng, someone(rng), 'POST', '/api/v1/case/uploads', payload);
      findings.check(iteration, 'POST', '/api/v1/case/uploads', `${payload.note}; ${note}`, answer);
    });
  });

  it('when upload progress is asked for random ids, then each is answered cleanly', async () => {
    const ids = [await startUpload(reporters[0]!.keys, 1000), await startUpload(reporters[1]!.keys, 1000)];
    await runRoute('GET /api/v1/case/uploads/:id', SIGNED_REQUESTS_PER_ROUTE, async (rng, findings, iteration) => {
      const path = `/api/v1/case/uploads/${someId(rng, ids)}`;
      const payload = rng.chance(0.8) ? NO_BODY : randomBytesPayload(rng);
      const { answer, note } = await signedSend(rng, someone(rng), 'GET', path, payload);
      findings.check(iteration, 'GET', path, `${payload.note}; ${note}`, answer);
    });
  });

  it('when random pieces arrive at random offsets, then each is answered cleanly and parts never outgrow their upload', async () => {
    const uploads = new Map<string, { keys: CaseKeys; content: Uint8Array; received: number }>();
    const setup = new Random(seedFor('uploads setup'));
    for (const reporter of reporters) {
      const content = setup.bytes(setup.between(1, 60_000));
      uploads.set(await startUpload(reporter.keys, content.length), { keys: reporter.keys, content, received: 0 });
    }
    const ids = [...uploads.keys()];
    await runRoute('PUT /api/v1/case/uploads/:id', SIGNED_REQUESTS_PER_ROUTE, async (rng, findings, iteration) => {
      const id = someId(rng, ids);
      const upload = uploads.get(id);
      const keys = upload && rng.chance(0.9) ? upload.keys : someone(rng);
      let offset: string = String(upload?.received ?? rng.int(1000));
      let bytes: Uint8Array;
      const mode = rng.int(6);
      if (mode <= 1 && upload) bytes = upload.content.subarray(upload.received, upload.received + rng.between(1, 20_000));
      else if (mode === 2 && upload) {
        const start = rng.int(upload.received + 1);
        offset = String(start);
        bytes = upload.content.subarray(start, start + rng.between(0, 20_000));
      } else if (mode === 3) bytes = rng.bytes(rng.between(0, 70_000));
      else bytes = rng.bytes(rng.between(0, 100));
      if (rng.chance(0.25)) {
        offset = rng.pick(['-1', '1.5', '1e3', '0x10', '', 'NaN', 'Infinity', '1e400', '9007199254740993', '99999999999999999999', ' 1', '%ZZ', '%00', 'abc', String(2 ** 32)]);
      }
      const query = rng.pick([`offset=${offset}`, `offset=${offset}`, `offset=${offset}`, '', `offset=${offset}&offset=1`, `offset[]=${offset}`, `offset=${offset}&x=${randomId(rng, ['y'])}`]);
      const path = `/api/v1/case/uploads/${id}${query === '' ? '' : `?${query}`}`;
      const payload = encoded(rng, bytes, rng.chance(0.8) ? 'application/octet-stream' : rng.chance(0.9) ? rng.pick(CONTENT_TYPES) : '', `mode ${mode}, ${bytes.length} bytes`);
      const { answer, note } = await signedSend(rng, keys, 'PUT', path, payload);
      findings.check(iteration, 'PUT', path, `${payload.note}; ${note}`, answer);
      const received = (answer.body as { received?: unknown } | null)?.received ?? /received: (\d+)/.exec(answer.text)?.[1];
      if (upload && received !== undefined) upload.received = Number(received);
    });
  });

  it('when random completions arrive, then each is answered cleanly and every attachment matches its hash', async () => {
    const uploads: { id: string; keys: CaseKeys; sha256: string }[] = [];
    const setup = new Random(seedFor('completions setup'));
    for (const reporter of reporters) {
      for (const damaged of [false, true]) {
        const content = setup.bytes(setup.between(1, 30_000));
        const id = await startUpload(reporter.keys, content.length);
        const stored = damaged ? concatBytes(content.subarray(1), Uint8Array.of(0)) : content;
        const { answer } = await signedSend(null, reporter.keys, 'PUT', `/api/v1/case/uploads/${id}?offset=0`, setupPayload(stored, 'application/octet-stream'));
        if (answer.status !== 200) throw new Error(`Setup piece refused: ${answer.status} ${answer.text}`);
        uploads.push({ id, keys: reporter.keys, sha256: sha256Hex(content) });
      }
    }
    await runRoute('POST /api/v1/case/uploads/:id/complete', SIGNED_REQUESTS_PER_ROUTE, async (rng, findings, iteration) => {
      const upload = rng.pick(uploads);
      const id = someId(rng, [upload.id]);
      const keys = id === upload.id && rng.chance(0.9) ? upload.keys : someone(rng);
      const sha256 = { sha256: upload.sha256 };
      const payload = rng.chance(0.1)
        ? randomBytesPayload(rng)
        : rng.chance(0.3)
          ? jsonPayload(rng, sha256, 'completion')
          : jsonPayload(rng, mutateObject(rng, sha256, { sha256: () => rng.pick([upload.sha256.toUpperCase(), upload.sha256.slice(1), rng.string(64, HEX), `${upload.sha256}0`]) }).value, 'completion');
      const path = `/api/v1/case/uploads/${id}/complete`;
      const { answer, note } = await signedSend(rng, keys, 'POST', path, payload);
      findings.check(iteration, 'POST', path, `${payload.note}; ${note}`, answer);
    });
  });
});

describe('inputs the fuzzing found', () => {
  it('when a path id holds a malformed percent-escape, then the answer is a 400, not a 500', async () => {
    const paths = [['get', '/api/v1/bodies/%E0%A4%A'], ['get', '/api/v1/bodies/%ZZ'], ['get', '/api/v1/case/uploads/%'], ['post', '/api/v1/case/uploads/%ZZ/complete']] as const;
    for (const [method, path] of paths) {
      const response = await request(server)[method](path);
      expect([path, response.status, response.body.error?.code]).toEqual([path, 400, 'bad-request']);
    }
  });

  it('when a body claims a compression it does not have, then the answer is a 4xx, not a 500', async () => {
    for (const [path, contentType] of [['/api/v1/cases', 'application/json'], ['/api/v1/case/followups', 'application/octet-stream']] as const) {
      for (const encoding of ['gzip', 'deflate', 'br']) {
        const response = await request(server).post(path).set('Content-Type', contentType).set('Content-Encoding', encoding).send('{"caseId":"x"}');
        // Case creation without work, and a reporter route without a signature, are refused from
        // their headers, before the body is even read.
        const expected = response.status === 415 ? 'unsupported-media-type' : response.status === 401 ? 'unauthorized' : path === '/api/v1/cases' ? 'proof-of-work-required' : 'bad-request';
        expect([path, encoding, response.status < 500, response.body.error?.code]).toEqual([path, encoding, true, expected]);
      }
    }
  });
});
