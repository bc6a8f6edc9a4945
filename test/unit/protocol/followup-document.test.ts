import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { utf8Encode } from '../../../crypto/index';
import { followupDocument, FollowupFormatError, parseFollowupDocument, type FollowupFile } from '../../../protocol/followup-document';

const FILE: FollowupFile = { attachmentId: 'AAAAAAAAAAAAAAAAAAAAAA', name: 'minutes 2026-03.pdf', type: 'application/pdf', size: 4711 };
const parse = (text: string) => parseFollowupDocument(utf8Encode(text));
/** A version 2 document as browsers wrote them before version 3. */
const followupDocumentJson = (text: string, files: FollowupFile[]) => JSON.stringify({ format: 'candor-followup', version: 2, text, files });

describe('parseFollowupDocument', () => {
  it('when a follow-up with text and a file is written, then it reads back as version 2 with the file’s id, name, type and size', () => {
    const json = followupDocumentJson('The minutes are attached.', [FILE]);
    expect(JSON.parse(json)).toEqual({ format: 'candor-followup', version: 2, text: 'The minutes are attached.', files: [FILE] });
    expect(parse(json)).toEqual({ format: 'candor-followup', version: 2, text: 'The minutes are attached.', files: [FILE] });
  });

  it('when a version 3 follow-up is written, then each file carries its digest and reads back as version 3', () => {
    const file = { ...FILE, blockSha256: 'a'.repeat(64) };
    expect(parse(JSON.stringify(followupDocument('See the minutes.', [file])))).toEqual({ format: 'candor-followup', version: 3, text: 'See the minutes.', files: [file] });
    expect(() => parse(JSON.stringify({ format: 'candor-followup', version: 3, text: 'x', files: [FILE] }))).toThrow(FollowupFormatError);
  });

  it('when a follow-up carries only files, then its text is empty and the files are still named', () => {
    expect(parse(followupDocumentJson('', [FILE]))).toMatchObject({ version: 2, text: '', files: [FILE] });
  });

  it('when the plaintext is a version 1 follow-up (plain text, even text that is JSON), then it is that text with no files', () => {
    for (const text of ['Two more names: ünïcödé.', '', '{"not": "a follow-up"}', '[1, 2]', '"quoted"', '{"format": "candor-report", "version": 1}']) {
      expect(parse(text)).toEqual({ version: 1, text, files: [] });
    }
  });

  it('when a follow-up document has an unknown version, then it is refused, not read as text', () => {
    for (const version of [1, 4, '2', null]) {
      expect(() => parse(JSON.stringify({ format: 'candor-followup', version, text: 'x', files: [] }))).toThrow(FollowupFormatError);
    }
  });

  it('when a version 2 document is malformed, then it is refused and says where', () => {
    const malformed = [
      { format: 'candor-followup', version: 2, text: 'x' },
      { format: 'candor-followup', version: 2, text: 'x', files: [{ ...FILE, attachmentId: 'short' }] },
      { format: 'candor-followup', version: 2, text: 'x', files: [{ ...FILE, size: -1 }] },
      { format: 'candor-followup', version: 2, text: 'x', files: [{ ...FILE, name: 'n'.repeat(1025) }] },
      { format: 'candor-followup', version: 2, text: 'x', files: [{ ...FILE, path: '/home/me' }] },
      { format: 'candor-followup', version: 2, text: 'x', files: [], extra: true },
    ];
    for (const document of malformed) expect(() => parse(JSON.stringify(document)), JSON.stringify(document)).toThrow(/malformed/);
  });

  it('when the example in docs/protocol.md §7.1 is parsed, then it is a valid version 2 document with the values of these tests', () => {
    const section = readFileSync('docs/protocol.md', 'utf8').split('**Follow-up document, version 2.**')[1] ?? '';
    const example = /```json\n([\s\S]*?)```/.exec(section)?.[1] ?? '';
    expect(parse(example)).toEqual({ format: 'candor-followup', version: 2, text: 'The minutes are attached.', files: [FILE] });
  });
});
