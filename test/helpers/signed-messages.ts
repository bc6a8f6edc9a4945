/**
 * Replies as the console writes them from protocol version 2 (docs/protocol.md §10.1): the text
 * signed with the investigator's key, sealed to the case's reply key, and stored beside the case's
 * other messages; and the plain, unsigned replies of version 1, which anyone holding the case's
 * public key (the server among them) could write.
 */
import { sealReply, utf8Encode, type CaseId } from '../../crypto/index';
import { writeInvestigatorMessage } from '../../protocol/investigator-messages';
import type { Day } from '../../server/clock';
import type { TestInvestigator } from './crypto';
import type { TestIntake } from './intake';

/** A reply's plaintext as `investigator` signs it for `caseId`. */
export async function signedReply(investigator: TestInvestigator, caseId: CaseId, text: string): Promise<Uint8Array> {
  return utf8Encode(await writeInvestigatorMessage(investigator.key, { caseId, kind: 'reply' }, text));
}

/** Seals `plaintext` to the case's reply key and stores it as a reply, as the server stores what the console sends. */
export function storeReply(intake: TestIntake, caseId: CaseId, plaintext: Uint8Array, createdOn: string): void {
  const { reply_public_key: replyKey } = intake.storage.db.prepare('SELECT reply_public_key FROM cases WHERE id = ?').get(caseId) as { reply_public_key: Buffer };
  intake.storage.cases.addObject(caseId, 'reply', sealReply(new Uint8Array(replyKey), plaintext), createdOn as Day);
}

/** An unsigned (version 1) reply: its text as it is. */
export const unsignedReply = (text: string): Uint8Array => utf8Encode(text);
