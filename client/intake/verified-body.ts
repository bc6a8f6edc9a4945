/**
 * The bodies a reporter can write to, as this build pins them: the server only says which bodies it
 * serves and hands over their signed directories; every name, question, policy and key the pages show
 * or encrypt to comes from a directory verified for the id the reporter chose (docs/protocol.md §11).
 */
import type { DirectoryPins } from '../../protocol/directory-pins';
import { verifyBodyDirectory, type BodyDirectory, type LocalizedText } from '../../protocol/body-directory';
import { DEFAULT_QUESTIONNAIRE } from '../../protocol/default-questionnaire';
import type { Questionnaire } from '../../protocol/questionnaire';
import { fetchBodies, fetchBody } from './api';

/** A body as chosen: its signed directory as the server sent it, and what verifying it for the chosen id gave. */
export interface ChosenBody {
  /** The id the reporter chose (or their own report names), never one the server echoed. */
  readonly id: string;
  readonly signedDirectory: unknown;
  readonly directory: BodyDirectory;
}

/** More bodies than one site serves in practice; the first page fetches each one's directory. */
export const MAX_LISTED_BODIES = 8;

/**
 * Fetches the directory of `bodyId` and verifies it against `pins` for that id, and, when the caller
 * saw one before, for at least `minimumSerial`. Throws the CryptoError or ApiError of the first problem.
 */
export async function fetchVerifiedBody(bodyId: string, pins: DirectoryPins, minimumSerial?: number): Promise<ChosenBody> {
  const answer = await fetchBody(bodyId);
  const directory = await verifyBodyDirectory(answer.signedDirectory, { pins, bodyId, ...(minimumSerial === undefined ? {} : { minimumSerial }) });
  return { id: bodyId, signedDirectory: answer.signedDirectory, directory };
}

/**
 * Verifies a chosen body's directory once more, as it was fetched, just before encrypting to it: a
 * directory that expired while the reporter wrote is refused then.
 */
export async function reverifyChosenBody(body: ChosenBody, pins: DirectoryPins): Promise<BodyDirectory> {
  return verifyBodyDirectory(body.signedDirectory, { pins, bodyId: body.id, minimumSerial: body.directory.serial });
}

/** The ids of the listed bodies that `pins` names, in the server's order, at most MAX_LISTED_BODIES: others cannot be verified, so are not offered. */
export function pinnedBodyIds(listed: readonly { readonly id: string }[], pins: DirectoryPins): string[] {
  const ids = listed.map((body) => body.id).filter((id) => Object.hasOwn(pins, id));
  return [...new Set(ids)].slice(0, MAX_LISTED_BODIES);
}

export type ListedBody = { readonly id: string; readonly verified: true; readonly body: ChosenBody } | { readonly id: string; readonly verified: false };

/** The bodies the first page offers: the pinned ones the server lists, each verified or marked as not. */
export async function fetchListedBodies(pins: DirectoryPins): Promise<ListedBody[]> {
  const ids = pinnedBodyIds(await fetchBodies(), pins);
  return Promise.all(
    ids.map(async (id): Promise<ListedBody> => {
      try {
        return { id, verified: true, body: await fetchVerifiedBody(id, pins) };
      } catch {
        // Whatever failed (network, signature, expiry), the body cannot be written to now; the page says so.
        return { id, verified: false };
      }
    }),
  );
}

/** The questions the reporter is asked: the directory's signed questionnaire, or the built-in one for a version 1 directory, which signs none. */
export function questionnaireOf(directory: BodyDirectory): Questionnaire {
  return directory.questionnaire ?? DEFAULT_QUESTIONNAIRE;
}

/** A signed text in `language`, else English, else any language it has; null when there is none. */
export function textIn(text: LocalizedText | null, language: string): string | null {
  if (text === null) return null;
  return text[language] ?? text.en ?? Object.values(text)[0] ?? null;
}
