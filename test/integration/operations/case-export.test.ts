/**
 * The offline case export as an investigator meets it: a case submitted through the real intake is
 * exported, unpacked with the system `tar`, and every file opened with the real `gpg --decrypt` using
 * only the investigator's private key; bindings, hashes and the joined attachment are checked.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compiledEntry } from '../../helpers/compiled-server';
import { encryptReport, sealReply, toBase64Url, utf8Decode, utf8Encode, type CaseId } from '../../../crypto/index';
import { writeFollowupMessage } from '../../../protocol/reporter-messages';
import { dayOf } from '../../../server/clock';
import { writeCaseExportFile, type CaseExportManifest, type CaseExportSummary } from '../../../server/operations/case-export';
import { OperationError } from '../../../server/operations/operation-error';
import { patternBytes, TEST_PASSPHRASE } from '../../helpers/crypto';
import { expectStatus, startTestIntake, TestReporter, TEST_BODY_ID, type TestIntake } from '../../helpers/intake';

const REPORT_TEXT = 'The procurement office split one contract into forty to stay under the tender threshold.';
/** Old data: a version 1 follow-up is its plain text. */
const OLD_FOLLOWUP_TEXT = 'Follow-up: one more name — über-confidential.';
const FOLLOWUP_TEXT = 'Follow-up: the invoices are attached.';
const SIGNED_FOLLOWUP_TEXT = 'Follow-up: the ledger too.';
const NOTE_TEXT = 'Note for colleagues: check the 2024 registry extract.';
const REPLY_TEXT = 'Thank you; we have opened an assessment.';
// 2.5 MiB: two full 1 MiB chunks and a half one, so the file spans several chunks.
const ATTACHMENT = patternBytes(2.5 * 1024 * 1024, 11);

let intake: TestIntake;
let caseId: CaseId;
let attachmentId: string;
let followupDocument: string;
let signedFollowup: string;
let work: string;
let gnupgHome: string;
let summary: CaseExportSummary;
let root: string;
let manifest: CaseExportManifest;

function gpg(args: readonly string[]): { stdout: Buffer; stderr: string; status: number | null } {
  const result = spawnSync('gpg', ['--homedir', gnupgHome, '--batch', '--no-tty', '--pinentry-mode', 'loopback', '--passphrase', TEST_PASSPHRASE, ...args], {
    maxBuffer: 16 * 1024 * 1024,
  });
  if (result.error) throw result.error;
  return { stdout: result.stdout, stderr: result.stderr.toString(), status: result.status };
}

/** Decrypts one exported file as the README says, returning the plaintext and the binding gpg printed. */
function gpgDecrypt(path: string): { plaintext: Buffer; binding: string | undefined } {
  const result = gpg(['--status-fd', '2', '--decrypt', path]);
  expect(result.status, result.stderr).toBe(0);
  expect(result.stderr).toContain('[GNUPG:] DECRYPTION_OKAY');
  expect(result.stderr).toContain('[GNUPG:] GOODMDC');
  const bindings = result.stderr.split('\n').filter((line) => line.startsWith('[GNUPG:] PLAINTEXT ')).map((line) => line.split(' ')[4]);
  expect(bindings).toHaveLength(1);
  return { plaintext: result.stdout, binding: bindings[0] };
}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Every file under `dir`, as paths relative to it. */
function filesUnder(dir: string): string[] {
  return (readdirSync(dir, { recursive: true, withFileTypes: true }))
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name).slice(dir.length + 1))
    .sort();
}

beforeAll(async () => {
  intake = await startTestIntake();
  const reporter = await TestReporter.create(intake);
  caseId = reporter.keys.caseId;
  await reporter.createCase(REPORT_TEXT);
  const recipients = await reporter.recipients();
  const sendFollowup = async (plaintext: string) => {
    const message = await encryptReport(plaintext, recipients, { caseId, kind: 'followup' });
    const copy = sealReply(reporter.keys.replyPublicKey, utf8Encode(plaintext), 'reporter-copy');
    expectStatus(await reporter.send('POST', '/api/v1/case/followups', { message: toBase64Url(message), reporterCopy: toBase64Url(copy) }), 201);
  };
  await sendFollowup(OLD_FOLLOWUP_TEXT);
  ({ attachmentId } = await reporter.upload(ATTACHMENT));
  // A version 2 follow-up (unsigned JSON), as browsers wrote them before protocol version 2.
  followupDocument = JSON.stringify({ format: 'candor-followup', version: 2, text: FOLLOWUP_TEXT, files: [{ attachmentId, name: 'invoices 2024.pdf', type: 'application/pdf', size: ATTACHMENT.length }] });
  await sendFollowup(followupDocument);
  // A version 3 follow-up, signed with the case key, as browsers write them since protocol version 2.
  signedFollowup = utf8Decode(await writeFollowupMessage(reporter.keys, SIGNED_FOLLOWUP_TEXT, [{ attachmentId, name: 'ledger.ods', type: 'application/vnd.oasis.opendocument.spreadsheet', size: ATTACHMENT.length, blockSha256: 'b'.repeat(64) }]));
  await sendFollowup(signedFollowup);
  // What the console stores when an investigator writes a note and answers (sealed reply plus a copy).
  const today = dayOf(new Date());
  intake.storage.cases.addObject(caseId, 'note', await encryptReport(NOTE_TEXT, recipients, { caseId, kind: 'note' }), today);
  intake.storage.cases.addObject(caseId, 'reply', sealReply(reporter.keys.replyPublicKey, utf8Encode(REPLY_TEXT)), today);
  intake.storage.cases.addObject(caseId, 'reply-copy', await encryptReport(REPLY_TEXT, recipients, { caseId, kind: 'reply-copy' }), today);

  work = mkdtempSync(join(tmpdir(), 'candor-export-'));
  gnupgHome = join(work, 'gnupg');
  mkdirSync(gnupgHome, { mode: 0o700 });
  writeFileSync(join(work, 'investigator.asc'), intake.investigator.generated.armoredPrivateKey);
  expect(gpg(['--import', join(work, 'investigator.asc')]).status).toBe(0);

  summary = await writeCaseExportFile(intake.storage, caseId, join(work, 'case.tar'));
  mkdirSync(join(work, 'unpacked'));
  execFileSync('tar', ['-xf', join(work, 'case.tar'), '-C', join(work, 'unpacked')]);
  root = join(work, 'unpacked', summary.root);
  manifest = JSON.parse(readFileSync(join(root, 'manifest.json'), 'utf8')) as CaseExportManifest;
});

afterAll(() => {
  spawnSync('gpgconf', ['--homedir', gnupgHome, '--kill', 'gpg-agent']);
  rmSync(work, { recursive: true, force: true });
  intake.close();
});

describe('offline case export', () => {
  it('when a case is exported, then the archive holds one directory named after the case with the manifest, README and every readable object', () => {
    expect(summary.root).toBe(`candor-case-${String(caseId).slice(0, 12)}`);
    expect(readdirSync(join(work, 'unpacked'))).toEqual([summary.root]);
    const chunkPaths = [0, 1, 2].map((index) => `attachments/${attachmentId}/chunk-0000${index}.gpg`);
    expect(filesUnder(root)).toEqual(['README.txt', ...chunkPaths, 'followup-3.gpg', 'followup-5.gpg', 'followup-7.gpg', 'manifest.json', 'note-9.gpg', 'reply-copy-11.gpg', 'report.gpg'].sort());
    expect(manifest.files.map((file) => file.path)).toEqual(['report.gpg', 'followup-3.gpg', 'followup-5.gpg', 'followup-7.gpg', 'note-9.gpg', 'reply-copy-11.gpg', ...chunkPaths]);
    expect(summary).toMatchObject({ files: 9, attachments: 1 });
  });

  it('when the manifest is read, then it names the format, the case, its workflow fields and the binding of every file', () => {
    expect(manifest).toMatchObject({
      format: 'candor-case-export',
      version: 1,
      caseId,
      bodyId: TEST_BODY_ID,
      case: { status: 'received', outcome: null, priority: 'normal', receivedOn: dayOf(new Date()), acknowledgedOn: null, feedbackOn: null, closedOn: null },
    });
    expect(manifest.files.map((file) => file.binding)).toEqual([
      `candor1.report.${caseId}`,
      `candor1.followup.${caseId}`,
      `candor1.followup.${caseId}`,
      `candor1.followup.${caseId}`,
      `candor1.note.${caseId}`,
      `candor1.reply-copy.${caseId}`,
      `candor1.attachment.${caseId}.${attachmentId}.0.more`,
      `candor1.attachment.${caseId}.${attachmentId}.1.more`,
      `candor1.attachment.${caseId}.${attachmentId}.2.last`,
    ]);
  });

  it("when each file's SHA-256 is computed, then it equals the manifest's", () => {
    for (const file of manifest.files) expect(sha256(readFileSync(join(root, file.path))), file.path).toBe(file.sha256);
  });

  it('when gpg decrypts every file with only the investigator key, then each prints the binding the manifest names', () => {
    for (const file of manifest.files) expect(gpgDecrypt(join(root, file.path)).binding, file.path).toBe(file.binding);
  });

  it('when gpg decrypts the messages, then the report, the follow-ups (plain text, a version 2 document, a signed version 3), note and reply copy are what was written', () => {
    const texts = ['report.gpg', 'followup-3.gpg', 'followup-5.gpg', 'followup-7.gpg', 'note-9.gpg', 'reply-copy-11.gpg'].map((path) => gpgDecrypt(join(root, path)).plaintext.toString('utf8'));
    expect(texts).toEqual([REPORT_TEXT, OLD_FOLLOWUP_TEXT, followupDocument, signedFollowup, NOTE_TEXT, REPLY_TEXT]);
  });

  it("when the follow-up that sent a file is decrypted and read with the README's jq line, then it names the file the manifest lists by id", () => {
    const decrypted = join(work, 'followup-5.json');
    writeFileSync(decrypted, gpgDecrypt(join(root, 'followup-5.gpg')).plaintext);
    const readme = readFileSync(join(root, 'README.txt'), 'utf8');
    const line = readme.split('\n').find((candidate) => candidate.trim().startsWith('jq') && candidate.includes('.files[]'));
    expect(line).toBeDefined();
    const filter = /'([^']+)'/.exec(line ?? '')?.[1] ?? '';
    expect(execFileSync('jq', ['-r', filter, decrypted], { encoding: 'utf8' })).toBe(`${attachmentId}\tinvoices 2024.pdf\tapplication/pdf\n`);
    const signed = join(work, 'followup-7.json');
    writeFileSync(signed, gpgDecrypt(join(root, 'followup-7.gpg')).plaintext);
    expect(execFileSync('jq', ['-r', filter, signed], { encoding: 'utf8' })).toBe(`${attachmentId}\tledger.ods\tapplication/vnd.oasis.opendocument.spreadsheet\n`);
    expect(new Set(manifest.files.filter((file) => file.kind === 'attachment').map((file) => file.attachmentId))).toEqual(new Set([attachmentId]));
  });

  it("when the attachment's chunks are decrypted by gpg and joined in order, then they are the original file byte for byte", () => {
    const chunks = manifest.files.filter((file) => file.kind === 'attachment').sort((a, b) => a.chunk - b.chunk);
    expect(chunks.map((chunk) => chunk.chunk)).toEqual([0, 1, 2]);
    const joined = Buffer.concat(chunks.map((chunk) => gpgDecrypt(join(root, chunk.path)).plaintext));
    expect(joined.length).toBe(ATTACHMENT.length);
    expect(joined.equals(Buffer.from(ATTACHMENT))).toBe(true);
  });

  it('when the README is read, then it explains gpg decryption with this case binding and the joining of chunks', () => {
    const readme = readFileSync(join(root, 'README.txt'), 'utf8');
    expect(readme).toContain(`candor1.report.${caseId}`);
    expect(readme).toContain('gpg --status-fd');
    expect(readme).toContain('.last');
  });

  it('when the README is read, then it says what each kind of message decrypts to, both versions of a follow-up included', () => {
    const readme = readFileSync(join(root, 'README.txt'), 'utf8');
    expect(readme).toContain('"format": "candor-report", "version": 1');
    expect(readme).toContain('plain UTF-8 text (a version 1 follow-up');
    expect(readme).toContain('"format": "candor-followup", "version": 2');
    expect(readme).toContain('"format": "candor-signed-message"');
    expect(readme).toContain('"candor-note" or "candor-reply", "version": 2');
    expect(readme).toContain('File names and types exist only inside these encrypted documents');
    expect(readme).not.toContain('follow-ups decrypt to');
  });

  it('when the case does not exist or the archive file already exists, then nothing is written', async () => {
    const missing = join(work, 'missing.tar');
    await expect(writeCaseExportFile(intake.storage, 'f'.repeat(64), missing)).rejects.toSatisfy(
      (error) => error instanceof OperationError && error.code === 'case-not-found',
    );
    expect(readdirSync(work).filter((name) => name.startsWith('missing'))).toEqual([]);
    const before = readFileSync(join(work, 'case.tar'));
    await expect(writeCaseExportFile(intake.storage, caseId, join(work, 'case.tar'))).rejects.toSatisfy(
      (error) => error instanceof OperationError && error.code === 'output-exists',
    );
    expect(readFileSync(join(work, 'case.tar')).equals(before)).toBe(true);
  });
});

describe('export-case command', () => {
  function admin(args: readonly string[]) {
    return spawnSync(process.execPath, [compiledEntry('cli'), ...args], { cwd: process.cwd(), env: { ...process.env, CANDOR_DATA_DIR: intake.dataDir } });
  }

  it('when run for the case, then it writes the same files, says where, and records the export in the audit log', () => {
    const out = join(work, 'from-cli.tar');
    const run = admin(['export-case', '--case', caseId, '--out', out]);
    expect(run.status, run.stderr.toString()).toBe(0);
    expect(run.stdout.toString()).toContain(`Exported case ${caseId} to ${out}: 9 OpenPGP files (1 attachments)`);
    const names = (archive: string) => execFileSync('tar', ['-tf', archive]).toString().split('\n').filter(Boolean).sort();
    expect(names(out)).toEqual(names(join(work, 'case.tar')));
    expect(intake.storage.audit.list({ caseId, limit: 10 })).toMatchObject([
      { actor: '(command line)', action: 'case.exported', bodyId: TEST_BODY_ID, caseId, details: { files: 9, attachments: 1 } },
    ]);
  });

  it('when the case id is malformed or unknown, then it exits with 1 and a plain message', () => {
    const malformed = admin(['export-case', '--case', 'not-a-case', '--out', join(work, 'x.tar')]);
    expect(malformed.status).toBe(1);
    expect(malformed.stderr.toString()).toContain('Error: --case must be a case id');
    const unknown = admin(['export-case', '--case', 'e'.repeat(64), '--out', join(work, 'x.tar')]);
    expect(unknown.status).toBe(1);
    expect(unknown.stderr.toString()).toContain(`Error: There is no case ${'e'.repeat(64)}`);
  });
});
