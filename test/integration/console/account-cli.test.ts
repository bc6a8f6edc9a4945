/**
 * The body and account commands of `npm run admin` as an operator runs them, compiled (dist/server/cli.js), on a real
 * data directory: a body set up from nothing until the intake offers it (the directory signed
 * "offline", without the data directory), a lost second factor, an investigator who leaves, a wrong
 * or tampered directory, and plain refusals of bad input.
 */
import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compiledEntry } from '../../helpers/compiled-server';
import { generateDirectoryKeyPair, signDirectory, type Base64Url, type DirectoryDocumentV2 } from '../../../crypto/index';
import { verifyBodyDirectory } from '../../../protocol/body-directory';
import { DEFAULT_QUESTIONNAIRE } from '../../../protocol/default-questionnaire';
import { readDirectoryPins } from '../../../tools/client-build/pinned-keys';
import type { Day } from '../../../server/clock';
import { verifyPassword } from '../../../server/console/auth/password';
import { acceptsReports } from '../../../server/storage/bodies-repository';
import { openStorage, type Storage } from '../../../server/storage/index';
import { makeInvestigator } from '../../helpers/crypto';

const BODY = 'city-integrity-office';

let workDir: string;
let dataDir: string;
let keyFile: string;

beforeAll(() => {
  workDir = mkdtempSync(join(tmpdir(), 'candor-account-cli-'));
  dataDir = join(workDir, 'data');
  keyFile = join(workDir, 'directory-key.json');
});
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

/** A command on the offline machine, which has the directory key and no data directory. */
function offline(args: readonly string[], input?: string) {
  const run = spawnSync(process.execPath, [compiledEntry('cli'), ...args], { cwd: process.cwd(), encoding: 'utf8', input });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

function offlineInBackground(args: readonly string[]): Promise<{ status: number | null; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [compiledEntry('cli'), ...args], { cwd: process.cwd(), encoding: 'utf8' }, (error, _stdout, stderr) => {
      resolve({ status: error === null ? 0 : typeof error.code === 'number' ? error.code : null, stderr });
    });
  });
}

/** A command on the server, on its data directory. */
const admin = (args: readonly string[], input?: string) => offline([...args, '--data-dir', dataDir], input);

/** The clients' pins, from the file where the configuration looks by default: in the data directory. */
const pinsFile = () => join(dataDir, 'pinned-directory-keys.json');
const pins = () => readDirectoryPins(pinsFile());
/** The stored directory of the body, verified as reporters' browsers verify it. */
const verifiedDirectory = async () => verifyBodyDirectory(JSON.parse(await signedDirectoryOf()), { pins: pins(), bodyId: BODY });

let rounds = 0;
/** The whole re-signing round: a request on the server, signed offline with `key`, imported on the server. */
function resign(key: string, importOptions: readonly string[] = []) {
  rounds += 1;
  const request = join(workDir, `request-${rounds}.json`);
  const signed = join(workDir, `signed-${rounds}.json`);
  const asked = admin(['directory-request', '--body', BODY, '--out', request]);
  if (asked.status !== 0) return asked;
  const signing = offline(['sign-directory', '--request', request, '--key', key, '--yes', '--out', signed]);
  if (signing.status !== 0) return signing;
  return admin(['import-directory', '--body', BODY, '--in', signed, ...importOptions]);
}

async function inStorage<T>(work: (storage: Storage) => T | Promise<T>): Promise<T> {
  const storage = await openStorage(dataDir);
  try {
    return await work(storage);
  } finally {
    storage.close();
  }
}

const oneTimePasswordIn = (stdout: string) => /\(shown once\): (\S+)/.exec(stdout)?.[1] ?? '';
const auditCount = () => inStorage((storage) => storage.audit.verify()).then((result) => (result.intact ? result.entries : -1));
const signedDirectoryOf = () => inStorage((storage) => storage.bodies.find(BODY)!.signedDirectory);

// The steps build on each other, as an operator's would: they run in order on one data directory.
describe('body and account commands', () => {
  let anaFingerprint: string;

  it('when a body is set up from nothing, then the intake offers it only once its directory is signed with the investigator’s key', async () => {
    const created = admin(['create-body', '--id', BODY, '--name', 'City Integrity Office', '--key-out', keyFile]);
    expect(created.status, created.stderr).toBe(0);
    const keyPair = JSON.parse(readFileSync(keyFile, 'utf8')) as { publicKey: string; secretKey: string };
    expect(created.stdout).toContain(keyPair.publicKey);
    expect(created.stdout).not.toContain(keyPair.secretKey);
    expect(created.stdout).toContain('rebuilt for the new pins at the next npm start');
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    // The new key is pinned for this body alone, from serial 1: the clients built next trust it.
    expect(pins()).toEqual({ [BODY]: { keys: [keyPair.publicKey], minimumSerial: 1 } });
    expect(await inStorage((storage) => acceptsReports(storage.bodies.find(BODY)!))).toBe(false);

    const account = admin(['create-account', '--username', 'ana', '--role', 'investigator', '--body', BODY]);
    expect(account.status, account.stderr).toBe(0);
    const stored = await inStorage((storage) => storage.accounts.findByUsername('ana')!);
    expect(stored).toMatchObject({ role: 'investigator', mustChangePassword: true, bodyIds: [BODY] });
    expect(await verifyPassword(oneTimePasswordIn(account.stdout), stored.passwordHash)).toBe(true);

    const tooEarly = admin(['directory-request', '--body', BODY]);
    expect(tooEarly.status).toBe(1);
    expect(tooEarly.stderr).toContain(`No investigator of ${BODY} has a key yet`);

    // Ana creates her key in the console; the server stores it as the console's key route does.
    const ana = await makeInvestigator('ana');
    anaFingerprint = ana.recipient.fingerprint;
    await inStorage((storage) =>
      storage.investigatorKeys.add({ fingerprint: anaFingerprint, accountId: stored.id, publicKey: ana.generated.armoredPublicKey, lockedPrivateKey: ana.generated.armoredPrivateKey, createdOn: '2026-11-22' as Day }),
    );
    const request = join(workDir, 'first-request.json');
    const asked = admin(['directory-request', '--body', BODY, '--valid-days', '30', '--out', request]);
    expect(asked.status, asked.stderr).toBe(0);

    // Offline: the admin sees whom reports will be encrypted to, and signs only when told to.
    const shown = offline(['sign-directory', '--request', request, '--key', keyFile]);
    expect(shown.status).toBe(1);
    expect(shown.stderr).toContain(`Directory of ${BODY}, named "City Integrity Office", serial 1,`);
    expect(shown.stderr).toContain('these 1 key(s), and no other');
    expect(shown.stderr).toContain(`${anaFingerprint}  "ana"  "Investigator"`);
    expect(shown.stderr).toContain('1. what: long-text, required');
    expect(shown.stderr).toContain('question (en): "What happened?"');
    expect(shown.stderr).toContain('help (fr): "Décrivez les faits.');
    expect(shown.stderr).toContain('choice unknown (de): "Ich weiß es nicht"');
    expect(shown.stderr).toContain('Policy shown to reporters: none.');
    expect(shown.stderr).toContain('Nothing signed');
    expect(shown.stdout).toBe('');
    const signing = offline(['sign-directory', '--request', request, '--key', keyFile, '--yes']);
    expect(signing.status, signing.stderr).toBe(0);
    expect(await inStorage((storage) => acceptsReports(storage.bodies.find(BODY)!))).toBe(false);

    const imported = admin(['import-directory', '--body', BODY, '--in', '-'], signing.stdout);
    expect(imported.status, imported.stderr).toBe(0);
    expect(imported.stdout).toContain(`serial 1,`);
    expect(imported.stdout).toContain(`ana  ${anaFingerprint}`);
    expect(await inStorage((storage) => acceptsReports(storage.bodies.find(BODY)!))).toBe(true);
    const { document, serial, roles, questionnaire, policy } = await verifiedDirectory();
    expect(document.recipients.map((recipient) => recipient.fingerprint)).toEqual([anaFingerprint]);
    expect(document.expiresOn > document.issuedOn).toBe(true);
    expect({ serial, roles: [...roles.values()], questionnaire, policy }).toEqual({ serial: 1, roles: ['Investigator'], questionnaire: DEFAULT_QUESTIONNAIRE, policy: null });

    const listed = admin(['list-bodies']);
    expect(listed.status, listed.stderr).toBe(0);
    expect(listed.stdout).toBe(
      `${BODY}  City Integrity Office\n  directory: signed until ${document.expiresOn}, lists the investigators' current keys\n  investigators with a key: ana\n`,
    );
  });

  it('when a request or a signed directory was tampered with, or is for another body, then it is refused and nothing changes', async () => {
    const before = await signedDirectoryOf();
    const request = join(workDir, 'tampered-request.json');
    expect(admin(['directory-request', '--body', BODY, '--out', request]).status).toBe(0);
    const original = JSON.parse(readFileSync(request, 'utf8')) as { body: { id: string }; recipients: { fingerprint: string }[] };

    // A server that swaps a key's fingerprint is caught offline: the key does not have it.
    writeFileSync(request, JSON.stringify({ ...original, recipients: [{ ...original.recipients[0], fingerprint: 'f'.repeat(40) }] }));
    const swapped = offline(['sign-directory', '--request', request, '--key', keyFile, '--yes']);
    expect(swapped.status).toBe(1);
    expect(swapped.stderr).toContain('has another fingerprint');

    writeFileSync(request, JSON.stringify({ ...original, body: { ...original.body, id: 'another-body' } }));
    const elsewhere = offline(['sign-directory', '--request', request, '--key', keyFile, '--yes']);
    expect(elsewhere.status, elsewhere.stderr).toBe(0);
    const misdirected = admin(['import-directory', '--body', BODY, '--in', '-'], elsewhere.stdout);
    expect(misdirected.status).toBe(1);
    expect(misdirected.stderr).toContain(`The directory is that of another-body, not of ${BODY}`);

    // Intake texts the intake could not show are caught offline too.
    writeFileSync(request, JSON.stringify({ ...original, intake: { questionnaire: { ...DEFAULT_QUESTIONNAIRE, questions: [] } } }));
    const noQuestions = offline(['sign-directory', '--request', request, '--key', keyFile, '--yes']);
    expect(noQuestions.status).toBe(1);
    expect(noQuestions.stderr).toContain("intake texts are malformed");

    writeFileSync(request, JSON.stringify(original));
    const good = JSON.parse(offline(['sign-directory', '--request', request, '--key', keyFile, '--yes']).stdout) as { payload: string };
    const altered = { ...good, payload: `${good.payload.slice(0, -2)}${good.payload.endsWith('A') ? 'B' : 'A'}A` };
    const forged = admin(['import-directory', '--body', BODY, '--in', '-'], JSON.stringify(altered));
    expect(forged.status).toBe(1);
    expect(forged.stderr).toContain('The signed directory does not verify');
    expect(await signedDirectoryOf()).toBe(before);
  });

  it('when a signed directory has a serial not above the one in use, is version 1, or no longer lists the current keys, then it is refused', async () => {
    const before = await signedDirectoryOf();
    const request = join(workDir, 'request-to-age.json');
    expect(admin(['directory-request', '--body', BODY, '--out', request]).status).toBe(0);
    const document = JSON.parse(readFileSync(request, 'utf8')) as DirectoryDocumentV2;
    expect(document.serial).toBe(2);
    writeFileSync(request, JSON.stringify({ ...document, serial: 1 }));
    const replayed = offline(['sign-directory', '--request', request, '--key', keyFile, '--yes']);
    expect(replayed.status, replayed.stderr).toBe(0);
    const refusedReplay = admin(['import-directory', '--body', BODY, '--in', '-'], replayed.stdout);
    expect(refusedReplay.status).toBe(1);
    expect(refusedReplay.stderr).toContain('has serial 1, not above the serial of the one in use (1)');

    // Version 1 has no serial: sign-directory refuses it, and so does the import of one signed elsewhere.
    const versionOne = {
      format: document.format,
      version: 1,
      body: document.body,
      issuedOn: document.issuedOn,
      expiresOn: document.expiresOn,
      recipients: document.recipients.map((recipient) => ({ label: recipient.label, fingerprint: recipient.fingerprint, publicKey: recipient.publicKey })),
    };
    writeFileSync(request, JSON.stringify(versionOne));
    const refusedSigning = offline(['sign-directory', '--request', request, '--key', keyFile, '--yes']);
    expect(refusedSigning.status).toBe(1);
    expect(refusedSigning.stderr).toContain('is a version 1 directory');
    const { secretKey } = JSON.parse(readFileSync(keyFile, 'utf8')) as { secretKey: Base64Url };
    const refusedVersionOne = admin(['import-directory', '--body', BODY, '--in', '-'], JSON.stringify(signDirectory({ ...versionOne, version: 1 }, secretKey)));
    expect(refusedVersionOne.status).toBe(1);
    expect(refusedVersionOne.stderr).toContain('This is a version 1 directory');

    // Signed for Ana's key; meanwhile she replaced it.
    const outdatedRequest = join(workDir, 'request-outdated.json');
    expect(admin(['directory-request', '--body', BODY, '--out', outdatedRequest]).status).toBe(0);
    const signedOutdated = offline(['sign-directory', '--request', outdatedRequest, '--key', keyFile, '--yes']).stdout;
    const replacement = await makeInvestigator('ana');
    await inStorage((storage) =>
      storage.investigatorKeys.add({ fingerprint: replacement.recipient.fingerprint, accountId: storage.accounts.findByUsername('ana')!.id, publicKey: replacement.generated.armoredPublicKey, lockedPrivateKey: replacement.generated.armoredPrivateKey, createdOn: '2026-11-23' as Day }),
    );
    const refusedOutdated = admin(['import-directory', '--body', BODY, '--in', '-'], signedOutdated);
    expect(refusedOutdated.status).toBe(1);
    expect(refusedOutdated.stderr).toContain('does not list exactly the current keys');
    expect(await signedDirectoryOf()).toBe(before);
    const current = resign(keyFile);
    expect(current.status, current.stderr).toBe(0);
    expect(current.stdout).toContain(`ana  ${replacement.recipient.fingerprint}`);
  });

  it('when another key signs a directory signed before, then it is refused unless it is pinned for the body and --new-signer says so', async () => {
    const otherKeyFile = join(workDir, 'other-directory-key.json');
    const otherKeyPair = generateDirectoryKeyPair();
    writeFileSync(otherKeyFile, JSON.stringify(otherKeyPair), { mode: 0o600 });
    const before = await signedDirectoryOf();

    const unpinned = resign(otherKeyFile, ['--new-signer']);
    expect(unpinned.status).toBe(1);
    expect(unpinned.stderr).toContain(`which the client builds do not pin for ${BODY}`);
    const keyPair = JSON.parse(readFileSync(keyFile, 'utf8')) as { publicKey: string };
    const pinned = admin(['pin-directory-key', '--body', BODY, '--key', otherKeyPair.publicKey]);
    expect(pinned.status, pinned.stderr).toBe(0);
    expect(pins()[BODY]).toEqual({ keys: [keyPair.publicKey, otherKeyPair.publicKey].sort(), minimumSerial: 1 });
    const refused = resign(otherKeyFile);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain('not signed by the key that signed the directory');
    expect(await signedDirectoryOf()).toBe(before);

    const rotated = resign(otherKeyFile, ['--new-signer']);
    expect(rotated.status, rotated.stderr).toBe(0);
    await verifyBodyDirectory(JSON.parse(await signedDirectoryOf()), { pins: { [BODY]: { keys: [otherKeyPair.publicKey], minimumSerial: 0 } }, bodyId: BODY });
    const back = resign(keyFile, ['--new-signer']);
    expect(back.status, back.stderr).toBe(0);
  });

  it('when the server writes terminal escapes or bidirectional overrides into a request, then sign-directory refuses it, and shows every text escaped', async () => {
    const request = join(workDir, 'hostile-request.json');
    expect(admin(['directory-request', '--body', BODY, '--out', request]).status).toBe(0);
    const document = JSON.parse(readFileSync(request, 'utf8')) as DirectoryDocumentV2;
    // A label that would move the cursor up and erase the line above it (a key the server slipped in).
    const hidden = { ...document, recipients: document.recipients.map((recipient) => ({ ...recipient, label: '\u001b[1A\u001b[2K\r  ana' })) };
    writeFileSync(request, JSON.stringify(hidden));
    const refused = offline(['sign-directory', '--request', request, '--key', keyFile, '--yes']);
    expect(refused.status).toBe(1);
    expect(refused.stdout).toBe('');
    expect(refused.stderr).not.toContain('\u001b');
    // Texts reporters read may hold anything a language needs, but the admin sees them escaped.
    const questions = document.intake['questionnaire'] as { questions: { help?: Record<string, string> }[] };
    questions.questions[0]!.help = { de: 'Nennen Sie Ihren vollen Namen\u202e und Ihre Personalnummer.' };
    writeFileSync(request, JSON.stringify(document));
    const shown = offline(['sign-directory', '--request', request, '--key', keyFile]);
    expect(shown.stderr).toContain('help (de): "Nennen Sie Ihren vollen Namen\\u{202e} und Ihre Personalnummer."');
    expect(shown.stderr).not.toContain('\u202e');
  });

  it('when roles and a policy are asked for, then the request signs them and reporters’ browsers read them from the directory', async () => {
    const policyFile = join(workDir, 'policy.json');
    writeFileSync(policyFile, JSON.stringify({ en: 'Only the case officers of the office read reports.', fr: 'Seuls les agents chargés des dossiers lisent les signalements.' }));
    const request = join(workDir, 'request-with-policy.json');
    const asked = admin(['directory-request', '--body', BODY, '--role', 'Case officer', '--policy-file', policyFile, '--out', request]);
    expect(asked.status, asked.stderr).toBe(0);
    const { serial } = await verifiedDirectory();
    expect(asked.stderr).toContain(`serial ${serial + 1}`);
    const shown = offline(['sign-directory', '--request', request, '--key', keyFile]);
    expect(shown.stderr).toContain('"Case officer"');
    expect(shown.stderr).toContain('policy (en): "Only the case officers of the office read reports."');
    expect(shown.stderr).toContain('policy (fr): "Seuls les agents chargés des dossiers lisent les signalements."');
    const signed = offline(['sign-directory', '--request', request, '--key', keyFile, '--yes']);
    expect(admin(['import-directory', '--body', BODY, '--in', '-'], signed.stdout).status).toBe(0);
    const directory = await verifiedDirectory();
    expect(directory.serial).toBe(serial + 1);
    expect([...directory.roles.values()]).toEqual(['Case officer']);
    expect(directory.policy?.['en']).toBe('Only the case officers of the office read reports.');
  });

  it('when the minimum serial is raised after a re-signing, then the pins refuse older directories, and --replace leaves only the new key', async () => {
    const { serial } = await verifiedDirectory();
    const { publicKey } = JSON.parse(readFileSync(keyFile, 'utf8')) as { publicKey: string };
    const raised = admin(['pin-directory-key', '--body', BODY, '--key', publicKey, '--minimum-serial', String(serial), '--replace']);
    expect(raised.status, raised.stderr).toBe(0);
    expect(raised.stdout).toContain(`from serial ${serial}`);
    expect(pins()[BODY]).toEqual({ keys: [publicKey], minimumSerial: serial });
    // The directory before it, signed by the same key, is now refused as a replay.
    const { secretKey } = JSON.parse(readFileSync(keyFile, 'utf8')) as { secretKey: Base64Url };
    const older = signDirectory({ ...(await verifiedDirectory()).document, serial: serial - 1 } as DirectoryDocumentV2, secretKey);
    await expect(verifyBodyDirectory(older, { pins: pins(), bodyId: BODY })).rejects.toMatchObject({ code: 'directory-outdated' });

    const tooHigh = admin(['pin-directory-key', '--body', BODY, '--key', publicKey, '--minimum-serial', String(serial + 1)]);
    expect(tooHigh.status).toBe(1);
    expect(tooHigh.stderr).toContain(`in use has serial ${serial}`);
    expect(pins()[BODY]!.minimumSerial).toBe(serial);

    const help = offline(['pin-directory-key', '--help']);
    expect(help.stdout).toContain('refuse older directories');
    expect(help.stdout).toContain('npm start');
  });

  it('when a body is marked as having unsigned cases and then refused them, then the pin says so each time and keeps its keys', () => {
    const { publicKey } = JSON.parse(readFileSync(keyFile, 'utf8')) as { publicKey: string };
    const before = pins()[BODY]!;
    const accepted = admin(['pin-directory-key', '--body', BODY, '--key', publicKey, '--unsigned-cases', 'accept']);
    expect(accepted.status, accepted.stderr).toBe(0);
    expect(accepted.stdout).toContain('takes unsigned reports');
    expect(pins()[BODY]).toEqual({ ...before, unsignedCases: true });
    const refused = admin(['pin-directory-key', '--body', BODY, '--key', publicKey, '--unsigned-cases', 'refuse']);
    expect(refused.stdout).toContain('refuses unsigned reports');
    expect(pins()[BODY]).toEqual(before);
    const wrong = admin(['pin-directory-key', '--body', BODY, '--key', publicKey, '--unsigned-cases', 'maybe']);
    expect(wrong.status).toBe(1);
    expect(wrong.stderr).toContain('--unsigned-cases must be accept or refuse');
  });

  it('when the input is bad, then each command says what is wrong, exits with 1 and changes nothing', async () => {
    const notJson = join(workDir, 'not-json.json');
    writeFileSync(notJson, 'publicKey=abc\n');
    const shortSecret = join(workDir, 'short-secret.json');
    writeFileSync(shortSecret, JSON.stringify({ publicKey: 'AAAA', secretKey: 'AAAA' }));
    const entriesBefore = await auditCount();
    const request = join(workDir, 'request-for-bad-input.json');
    expect(admin(['directory-request', '--body', BODY, '--out', request]).status).toBe(0);
    const emptyObject = join(workDir, 'empty-object.json');
    writeFileSync(emptyObject, '{}');
    const onServer = (args: readonly string[]) => [...args, '--data-dir', dataDir];
    const refusals: [readonly string[], string][] = [
      [onServer(['create-body', '--id', 'Not A Slug', '--name', 'X']), 'Not A Slug is not a valid body id'],
      [onServer(['create-body', '--id', BODY, '--name', 'Again']), `The body ${BODY} exists already`],
      [onServer(['create-body', '--id', 'another-body', '--name', 'X', '--key-out', keyFile]), 'exists already; choose a new file'],
      [onServer(['create-body', '--id', 'another-body', '--name', ' ']), 'The name must have 1 to 200 characters'],
      [onServer(['create-account', '--username', 'bo', '--role', 'boss']), '--role must be admin or investigator'],
      [onServer(['disable-account', '--username', 'nobody']), 'There is no account nobody'],
      [onServer(['reset-second-factor', '--username', 'nobody']), 'There is no account nobody'],
      [onServer(['directory-request', '--body', BODY, '--valid-days', '0']), '--valid-days must be a whole number from 1 to 3650'],
      [onServer(['directory-request', '--body', 'no-such-body']), 'There is no body no-such-body'],
      [onServer(['directory-request', '--body', BODY, '--role', ' ']), 'The role must have 1 to 100 characters'],
      [onServer(['directory-request', '--body', BODY, '--policy-file', notJson]), 'is not a policy file'],
      [onServer(['directory-request', '--body', BODY, '--policy-file', emptyObject]), 'is not a policy file'],
      [onServer(['pin-directory-key', '--body', BODY, '--key', 'AAAA']), 'AAAA is not a valid directory key'],
      [onServer(['pin-directory-key', '--body', BODY, '--key', generateDirectoryKeyPair().publicKey, '--minimum-serial', '-1']), '--minimum-serial must be a whole number'],
      [onServer(['pin-directory-key', '--body', 'no-such-body', '--key', generateDirectoryKeyPair().publicKey]), 'There is no body no-such-body'],
      [['sign-directory', '--request', request, '--key', join(workDir, 'missing.json')], 'does not exist'],
      [['sign-directory', '--request', request, '--key', notJson], 'is not a directory key file'],
      [['sign-directory', '--request', request, '--key', shortSecret, '--yes'], 'holds no valid directory secret key'],
      [['sign-directory', '--request', notJson, '--key', keyFile], 'is not a directory request'],
      [['sign-directory', '--request', emptyObject, '--key', keyFile], 'cannot be signed'],
      [['sign-directory', '--request', request, '--key', keyFile, '--yes', '--out', keyFile], 'exists already; choose a new file'],
      [onServer(['import-directory', '--body', BODY, '--in', notJson]), 'is not a signed directory (JSON'],
      [onServer(['import-directory', '--body', BODY, '--in', emptyObject]), 'This is not a signed directory'],
    ];
    // Independent refusals: run side by side, each a process of its own.
    const pinsBefore = readFileSync(pinsFile(), 'utf8');
    const runs = await Promise.all(refusals.map(([args]) => offlineInBackground(args)));
    refusals.forEach(([args, message], index) => {
      const run = runs[index]!;
      expect(run.stderr, args.join(' ')).toContain(message);
      expect(run.stderr).not.toMatch(/\n\s+at /);
      expect(run.status, args.join(' ')).toBe(1);
    });
    expect(await auditCount()).toBe(entriesBefore);
    expect(readFileSync(pinsFile(), 'utf8')).toBe(pinsBefore);
    expect(await inStorage((storage) => storage.bodies.find('another-body'))).toBeUndefined();
  });

  it('when an investigator loses their phone, then reset-second-factor removes it and issues a new one-time password', async () => {
    await inStorage((storage) => storage.secondFactors.setTotp(storage.accounts.findByUsername('ana')!.id, new Uint8Array(20).fill(7), 0));
    const reset = admin(['reset-second-factor', '--username', 'ana']);
    expect(reset.status, reset.stderr).toBe(0);
    const account = await inStorage((storage) => storage.accounts.findByUsername('ana')!);
    expect(account).toMatchObject({ totpSecret: null, mustChangePassword: true });
    expect(await verifyPassword(oneTimePasswordIn(reset.stdout), account.passwordHash)).toBe(true);
  });

  it('when an investigator leaves, then disable-account disables them and the next signature has nobody left to encrypt to', async () => {
    const disabled = admin(['disable-account', '--username', 'ana']);
    expect(disabled.status, disabled.stderr).toBe(0);
    expect(disabled.stdout).toContain('Re-sign the directories');
    expect((await inStorage((storage) => storage.accounts.findByUsername('ana')!)).disabledOn).not.toBeNull();
    const request = admin(['directory-request', '--body', BODY]);
    expect(request.status).toBe(1);
    expect(request.stderr).toContain(`No investigator of ${BODY} has a key yet`);
  });
});
