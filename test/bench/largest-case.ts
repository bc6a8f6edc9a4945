/**
 * The largest case an anonymous reporter can make, and opening it as the browser does while the
 * server's resident memory is watched (issue 13: one such case used to end the process). Filling:
 * follow-ups as large as one request may carry, each with its reporter copy, until the per-case
 * budget is spent to the last byte and the intake refuses one more with 422 limit-reached. Opening:
 * every status page, then every message's bytes one by one (client/intake/pages/check-case.tsx),
 * several times in turn, then by several readers at once.
 *
 * The reporter copy carries the request's bytes and the follow-up itself is small, because only
 * reporter copies and replies are read back: so the case a reporter opens is as large as the
 * budget allows. The intake never decrypts, so a copy is a real envelope header followed by random
 * bytes; the follow-up is really encrypted. Replies, written by investigators in the console, are
 * not added: this process cannot reach the intake's storage, and they are not an anonymous
 * sender's to multiply.
 */
import { randomBytes } from 'node:crypto';
import { ENVELOPE_HEADER_BYTES, encryptReport, sealReply, toBase64Url, utf8Encode, type CaseKeys } from '../../crypto/index';
import { STATUS_ANSWER_BYTES, statusPageSchema } from '../../protocol/intake-api';
import { errorAnswerSchema } from '../../protocol/wire';
import { createCase, fetchDemoRecipients, prepareCase, ReporterSession } from './intake-client';
import type { ServerProcess } from './node-process';
import { startProcessRssMonitor } from './process-rss';
import type { RssReport } from './rss-monitor';
import { waitForSteadyRss } from './steady-rss';

const RSS_SAMPLE_INTERVAL_MS = 50;
/** The follow-up's JSON around its two base64url strings. */
const FOLLOWUP_JSON_OVERHEAD = JSON.stringify({ message: '', reporterCopy: '' }).length;

const base64UrlLength = (bytes: number) => Math.ceil((bytes * 4) / 3);

export interface CaseLimits {
  readonly requestBodyBytes: number;
  readonly followupsPerCase: number;
  readonly followupBytesPerCase: number;
}

export interface FilledCase {
  readonly keys: CaseKeys;
  readonly followups: number;
  /** Follow-ups with their reporter copies, as the per-case budget counts them. */
  readonly followupBytes: number;
  /** What the reporter reads back: the reporter copies, the one made at creation included. */
  readonly readableObjects: number;
  readonly readableBytes: number;
  /** The largest reporter copy one request carries. */
  readonly copyBytes: number;
  /** The refusal of the follow-up past the budget, as the intake worded it. */
  readonly refusal: string;
  readonly elapsedMs: number;
}

function followupBody(message: Uint8Array, copyHeader: Uint8Array, copyBytes: number): Uint8Array<ArrayBuffer> {
  const copy = randomBytes(copyBytes);
  copy.set(copyHeader);
  return utf8Encode(JSON.stringify({ message: toBase64Url(message), reporterCopy: toBase64Url(copy) }));
}

export async function fillLargestCase(server: ServerProcess, dataDir: string, limits: CaseLimits): Promise<FilledCase> {
  const recipients = await fetchDemoRecipients(server.url, dataDir);
  const prepared = await prepareCase(recipients, 'Benchmark report whose case is filled to its limits.');
  await createCase(server.url, prepared);
  const session = new ReporterSession(server.url, prepared.keys);
  const message = await encryptReport('See my copy.', recipients, { caseId: prepared.keys.caseId, kind: 'followup' });
  // The header of a real reporter copy, so the format is taken from crypto/ rather than written out again.
  const copyHeader = sealReply(prepared.keys.replyPublicKey, utf8Encode('header'), 'reporter-copy').subarray(0, ENVELOPE_HEADER_BYTES);
  const copyBytes = Math.floor(((limits.requestBodyBytes - FOLLOWUP_JSON_OVERHEAD - base64UrlLength(message.length)) * 3) / 4);
  const send = (bytes: number, expected: number) => session.send('POST', '/api/v1/case/followups', expected, { bytes: followupBody(message, copyHeader, bytes), contentType: 'application/json' });

  // The copy made at creation is the case's second object (server/intake/intake-service.ts).
  const { objects } = statusPageSchema.parse(JSON.parse(Buffer.from(await session.send('GET', '/api/v1/case', 200)).toString('utf8')));
  let readableBytes = objects.reduce((sum, object) => sum + object.size, 0);
  let followups = 0;
  let followupBytes = 0;
  const start = performance.now();
  for (;;) {
    // The last one takes exactly what is left of the budget, so that the case ends at its limit.
    const bytes = Math.min(copyBytes, limits.followupBytesPerCase - followupBytes - message.length);
    if (followups >= limits.followupsPerCase || bytes < ENVELOPE_HEADER_BYTES) break;
    await send(bytes, 201);
    followups++;
    followupBytes += message.length + bytes;
    readableBytes += bytes;
  }
  // The case is full: the intake must refuse one more, whatever its size.
  const refused = errorAnswerSchema.parse(JSON.parse(Buffer.from(await send(ENVELOPE_HEADER_BYTES, 422)).toString('utf8')));
  const elapsedMs = performance.now() - start;
  if (refused.error.code !== 'limit-reached') throw new Error(`The follow-up past the budget was refused with ${refused.error.code}, not limit-reached.`);
  return {
    keys: prepared.keys,
    followups,
    followupBytes,
    readableObjects: objects.length + followups,
    readableBytes,
    copyBytes,
    refusal: [refused.error.code, ...(refused.error.details ?? [])].join(': '),
    elapsedMs,
  };
}

interface Opening {
  readonly requests: number;
  readonly bytes: number;
}

interface StatusPage {
  readonly objects: readonly { seq: number; size: number }[];
  readonly nextAfter: number | null;
}

/** What check-case.tsx does: a challenge, every status page, then every message's bytes. Each answer is checked. */
async function openCase(baseUrl: string, filled: FilledCase): Promise<Opening> {
  const session = new ReporterSession(baseUrl, filled.keys);
  await session.authenticate();
  let requests = 1;
  const page = async (path: string): Promise<StatusPage> => {
    const answer = await session.send('GET', path, 200);
    requests++;
    if (answer.length !== STATUS_ANSWER_BYTES) throw new Error(`A status page was ${answer.length} bytes, not ${STATUS_ANSWER_BYTES}.`);
    return JSON.parse(Buffer.from(answer).toString('utf8')) as StatusPage;
  };
  let status = await page('/api/v1/case');
  const entries = [...status.objects];
  while (status.nextAfter !== null) {
    status = await page(`/api/v1/case?after=${status.nextAfter}`);
    entries.push(...status.objects);
  }
  let bytes = 0;
  for (const entry of entries) {
    const sealed = await session.send('GET', `/api/v1/case/objects/${entry.seq}`, 200);
    requests++;
    if (sealed.length !== entry.size) throw new Error(`Message ${entry.seq} was ${sealed.length} bytes; its status entry says ${entry.size}.`);
    bytes += sealed.length;
  }
  if (entries.length !== filled.readableObjects || bytes !== filled.readableBytes) {
    throw new Error(`The case opened with ${entries.length} messages of ${bytes} bytes; it holds ${filled.readableObjects} of ${filled.readableBytes}.`);
  }
  return { requests, bytes };
}

export interface OpeningSettings {
  /** Openings one after another. */
  readonly rounds: number;
  /** Then this many openings at once. */
  readonly readers: number;
}

export interface LargestCaseOpening {
  readonly settings: OpeningSettings;
  readonly requests: number;
  readonly bytesRead: number;
  readonly meanSequentialMs: number;
  readonly concurrentMs: number;
  readonly elapsedMs: number;
  /** False when the server's memory still moved when the baseline was taken. */
  readonly steadyBaseline: boolean;
  readonly rss: RssReport;
}

/** Opens the filled case on `server`, which should be a fresh process: its idle memory is the baseline. */
export async function openLargestCase(server: ServerProcess, filled: FilledCase, settings: OpeningSettings): Promise<LargestCaseOpening> {
  const steadyBaseline = await waitForSteadyRss(server.pid);
  const openings: Opening[] = [];
  let sequentialMs = 0;
  let concurrentMs: number;
  let rss: RssReport;
  const monitor = startProcessRssMonitor(server.pid, RSS_SAMPLE_INTERVAL_MS);
  const start = performance.now();
  try {
    for (let round = 0; round < settings.rounds; round++) openings.push(await openCase(server.url, filled));
    sequentialMs = performance.now() - start;
    const concurrentStart = performance.now();
    openings.push(...(await Promise.all(Array.from({ length: settings.readers }, () => openCase(server.url, filled)))));
    concurrentMs = performance.now() - concurrentStart;
  } finally {
    rss = monitor.stop();
  }
  return {
    settings,
    requests: openings.reduce((sum, opening) => sum + opening.requests, 0),
    bytesRead: openings.reduce((sum, opening) => sum + opening.bytes, 0),
    meanSequentialMs: sequentialMs / settings.rounds,
    concurrentMs,
    elapsedMs: performance.now() - start,
    steadyBaseline,
    rss,
  };
}
