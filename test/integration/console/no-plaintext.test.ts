/**
 * The same promise at the console: replies, notes and the investigator's key passphrase never reach
 * the server in a readable form; only ciphertext, locked keys and hashes are stored or logged.
 */
import { describe, expect, it } from 'vitest';
import { encryptReport, generateInvestigatorKey, sealReply, toBase64Url, utf8Encode, type CaseId } from '../../../crypto/index';
import { startTestConsole } from '../../helpers/console';
import { TestReporter } from '../../helpers/intake';
import { encodedForms, logPlace, sentinelsFound, storedFiles } from '../../helpers/stored-bytes';

describe('no plaintext at rest, console side', () => {
  it('when an investigator replies, writes a note, stores a key and changes the password, then no stored or logged byte holds the plaintexts or secrets', async () => {
    const site = await startTestConsole();
    try {
      const sentinels = { reply: 'SENTINEL-REPLY-51c0aa', note: 'SENTINEL-NOTE-e83d12', passphrase: 'SENTINEL-PASSPHRASE-77b1', password: 'SENTINEL-PASSWORD-0c9e4f' };
      const reporter = await TestReporter.create(site.intake);
      await reporter.createCase('a report');
      const caseId = reporter.keys.caseId as CaseId;
      const recipients = await reporter.recipients();
      const alice = await site.account('alice', 'investigator');
      const session = await site.signIn(alice);
      const text = `${sentinels.reply} `.repeat(20);
      await session
        .send('post', `/api/v1/cases/${caseId}/replies`, {
          sealed: toBase64Url(sealReply(reporter.keys.replyPublicKey, utf8Encode(text), 'reply')),
          copy: toBase64Url(await encryptReport(text, recipients, { caseId, kind: 'reply-copy' })),
        })
        .expect(201);
      const note = await encryptReport(`${sentinels.note} `.repeat(20), recipients, { caseId, kind: 'note' });
      await session.send('post', `/api/v1/cases/${caseId}/notes`, { message: toBase64Url(note) }).expect(201);
      const key = await generateInvestigatorKey({ name: 'alice', passphrase: sentinels.passphrase });
      await session.send('post', '/api/v1/account/keys', { publicKey: key.armoredPublicKey, lockedPrivateKey: key.armoredPrivateKey }).expect(201);
      const changed = await session.send('post', '/api/v1/account/password', { currentPassword: alice.password, newPassword: sentinels.password }).expect(200);
      session.csrfToken = changed.body.session.csrfToken;

      const scan = () => [...storedFiles(site.intake.dataDir), logPlace('log', [...site.logLines, ...site.intake.logLines])];
      for (const snapshot of [scan(), (site.intake.storage.db.pragma('wal_checkpoint(TRUNCATE)'), scan())]) {
        // The scan finds what is there: the locked key is stored, by design.
        expect(sentinelsFound(snapshot, [key.fingerprint])).not.toEqual([]);
        expect(sentinelsFound(snapshot, Object.values(sentinels), encodedForms)).toEqual([]);
      }
    } finally {
      site.close();
    }
  });
});
