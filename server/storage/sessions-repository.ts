/** Console sessions. Only the SHA-256 of a session id is stored, so a database copy opens no session. */
import type { SessionStage } from '../../protocol/console-api/session';
import { statementCache, type Db } from './database';

/** The stages are the console API's words (protocol/console-api/session.ts). */
export type { SessionStage };

export interface SessionRecord {
  readonly idHash: string;
  readonly accountId: string;
  readonly stage: SessionStage;
  readonly csrfToken: string;
  readonly webauthnChallenge: string | null;
  readonly createdAt: number;
  readonly lastSeenAt: number;
}

interface SessionRow {
  id_hash: string;
  account_id: string;
  stage: string;
  csrf_token: string;
  webauthn_challenge: string | null;
  created_at: number;
  last_seen_at: number;
}

export class SessionsRepository {
  private readonly sql: ReturnType<typeof statementCache>;

  constructor(db: Db) {
    this.sql = statementCache(db);
  }

  create(session: Omit<SessionRecord, 'webauthnChallenge'>): void {
    this.sql('INSERT INTO sessions (id_hash, account_id, stage, csrf_token, created_at, last_seen_at) VALUES (?, ?, ?, ?, ?, ?)')
      .run(session.idHash, session.accountId, session.stage, session.csrfToken, session.createdAt, session.lastSeenAt);
  }

  find(idHash: string): SessionRecord | undefined {
    const row = this.sql('SELECT * FROM sessions WHERE id_hash = ?').get(idHash) as SessionRow | undefined;
    return (
      row && {
        idHash: row.id_hash,
        accountId: row.account_id,
        stage: row.stage as SessionStage,
        csrfToken: row.csrf_token,
        webauthnChallenge: row.webauthn_challenge,
        createdAt: row.created_at,
        lastSeenAt: row.last_seen_at,
      }
    );
  }

  touch(idHash: string, at: number): void {
    this.sql('UPDATE sessions SET last_seen_at = ? WHERE id_hash = ?').run(at, idHash);
  }

  setWebAuthnChallenge(idHash: string, challenge: string | null): void {
    this.sql('UPDATE sessions SET webauthn_challenge = ? WHERE id_hash = ?').run(challenge, idHash);
  }

  delete(idHash: string): void {
    this.sql('DELETE FROM sessions WHERE id_hash = ?').run(idHash);
  }

  deleteForAccount(accountId: string, exceptIdHash?: string): void {
    this.sql('DELETE FROM sessions WHERE account_id = ? AND id_hash IS NOT ?').run(accountId, exceptIdHash ?? null);
  }

  deleteExpired(idleBefore: number, createdBefore: number): void {
    this.sql('DELETE FROM sessions WHERE last_seen_at < ? OR created_at < ?').run(idleBefore, createdBefore);
  }
}
