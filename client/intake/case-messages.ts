/**
 * A case's messages as the reporter's browser reads them back (docs/protocol.md §7.2, §10.1): its own
 * copies, which say which body the report went to and under which directory, and the investigators'
 * replies, each checked against that body's verified directory. The server can seal anything to the
 * case's public reply key, so nothing here is taken on its word: what is not signed is shown as such,
 * and a reply is the acknowledgment or the feedback only when its signature says so.
 */
import type { CaseId, CaseKeys } from '../../crypto/index';
import type { BodyDirectory } from '../../protocol/body-directory';
import { readInvestigatorMessage, type ReadInvestigatorMessage, type ReplyPurpose } from '../../protocol/investigator-messages';
import { readReporterCopy, type ReporterCopy } from '../../protocol/reporter-copy';

/** A message of the case, opened with the case's reply key. */
export interface OpenedObject {
  readonly seq: number;
  readonly createdOn: string;
  readonly plaintext: Uint8Array;
}

/** Where the case's report went, as the reporter's own copy of it says. */
export interface CaseOrigin {
  /** The body the reporter chose: follow-ups go to it and replies are checked against its directory. */
  readonly bodyId: string;
  /** The serial of the directory the report was encrypted under (0 for a version 1 report): no follow-up goes under an older one. */
  readonly directorySerial: number;
  /** Whether the report copy is signed with the case key; from then on, an unsigned copy is not this reporter's. */
  readonly signed: boolean;
}

/** A file as the reporter's own copy names it. */
export interface SentFile {
  readonly name: string;
  readonly size: number;
}

/**
 * What a copy says was sent: the report's answers by question id (shown under the questions of the
 * body's signed questionnaire) and its files, or a follow-up's text and files.
 */
export type SentContent =
  | { readonly kind: 'report'; readonly answers: Readonly<Record<string, string>>; readonly files: readonly SentFile[] }
  | { readonly kind: 'followup'; readonly text: string; readonly files: readonly SentFile[] };

export interface SentMessage {
  readonly seq: number;
  readonly createdOn: string;
  /** What the copy holds; null for a copy that could not be read. */
  readonly content: SentContent | null;
  /** False for a copy that cannot be this reporter's: unreadable, or unsigned in a case whose report is signed. */
  readonly fromThisBrowser: boolean;
}

/**
 * `signed` by an investigator the body's directory lists; `unsigned`, a version 1 reply that whoever
 * holds the case's public key could have written; `forged`, a signature that does not verify;
 * `unverified`, when the body's directory itself could not be verified, so no reply can be checked.
 */
export type ReplyAuthenticity = 'signed' | 'unsigned' | 'forged' | 'unverified';

export interface ReplyMessage {
  readonly seq: number;
  readonly createdOn: string;
  readonly text: string;
  readonly authenticity: ReplyAuthenticity;
  /** For a signed reply, its author's role as the directory signs it; null when the directory names none (version 1). */
  readonly role: string | null;
  /** The acknowledgment or the feedback, only as a signature the directory vouches for says; null otherwise. */
  readonly purpose: ReplyPurpose | null;
}

const fileOf = ({ name, size }: SentFile): SentFile => ({ name, size });

function contentOf(copy: ReporterCopy): SentContent {
  return copy.kind === 'report'
    ? { kind: 'report', answers: copy.document.answers, files: copy.document.attachments.map(fileOf) }
    : { kind: 'followup', text: copy.document.text, files: copy.document.files.map(fileOf) };
}

async function readCopy(plaintext: Uint8Array, keys: CaseKeys): Promise<ReporterCopy | null> {
  try {
    return await readReporterCopy(plaintext, keys);
  } catch {
    // Signed by another key, or of no known form: not the reporter's, and shown as such rather than failing the page.
    return null;
  }
}

/** Where a report went: the report copy's body id and directory serial (a version 1 report names no serial: 0). */
function originOf(copy: Extract<ReporterCopy, { kind: 'report' }>): CaseOrigin {
  const { document } = copy;
  return { bodyId: document.bodyId, directorySerial: document.version === 2 ? document.directorySerial : 0, signed: copy.signed };
}

/**
 * Reads the case's reporter copies, oldest first. The origin is the first report copy signed with the
 * case key: a signed copy can come only from someone holding the token, so a copy the server slipped
 * in cannot redirect follow-ups. An unsigned report copy is the origin only where
 * `acceptsUnsignedReport(bodyId)` says such a case can exist (a case filed under its version 1 id, of
 * a body pinned as having cases from before protocol version 2); anywhere else it is the server's.
 */
export async function readSentMessages(
  copies: readonly OpenedObject[],
  keys: CaseKeys,
  acceptsUnsignedReport: (bodyId: string) => boolean,
): Promise<{ origin: CaseOrigin | null; sent: SentMessage[] }> {
  const read = await Promise.all(copies.map(async (copy) => ({ ...copy, copy: await readCopy(copy.plaintext, keys) })));
  const reports = read.flatMap(({ copy }) => (copy?.kind === 'report' ? [copy] : []));
  const report = reports.find((copy) => copy.signed) ?? reports.find((copy) => acceptsUnsignedReport(copy.document.bodyId));
  const origin = report === undefined ? null : originOf(report);
  const sent = read.map(({ seq, createdOn, copy }) => ({
    seq,
    createdOn,
    content: copy === null ? null : contentOf(copy),
    // An unsigned copy is the reporter's only in a case whose own report is unsigned (an accepted version 1 case).
    fromThisBrowser: copy !== null && (copy.signed || origin?.signed === false),
  }));
  return { origin, sent };
}

/** A reply's text and authenticity; bytes that are not even text are a forgery with nothing to show. */
async function readReply(plaintext: Uint8Array, caseId: CaseId, recipients: BodyDirectory['recipients']): Promise<ReadInvestigatorMessage> {
  try {
    return await readInvestigatorMessage(plaintext, { caseId, kind: 'reply' }, recipients);
  } catch {
    return { text: '', authenticity: { kind: 'forged' } };
  }
}

/**
 * Reads the case's replies, oldest first, against the recipients of `directory`, the verified
 * directory of the case's body; null when it could not be verified, which leaves every reply
 * unverified (still read, so that a signed reply shows its text rather than its JSON).
 */
export async function readReplies(replies: readonly OpenedObject[], caseId: CaseId, directory: BodyDirectory | null): Promise<ReplyMessage[]> {
  return Promise.all(
    replies.map(async ({ seq, createdOn, plaintext }): Promise<ReplyMessage> => {
      const { text, authenticity, purpose } = await readReply(plaintext, caseId, directory?.recipients ?? []);
      if (directory === null) return { seq, createdOn, text, authenticity: 'unverified', role: null, purpose: null };
      if (authenticity.kind !== 'signed') return { seq, createdOn, text, authenticity: authenticity.kind, role: null, purpose: null };
      return { seq, createdOn, text, authenticity: 'signed', role: directory.roles.get(authenticity.signer.fingerprint) ?? null, purpose: purpose ?? null };
    }),
  );
}
