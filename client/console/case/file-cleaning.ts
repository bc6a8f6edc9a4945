/**
 * What the reporter's browser did to a file before encrypting it, as the signed report or follow-up
 * says (docs/protocol.md §7.1), in one English sentence for the file's row.
 */
import type { FileCleaning } from '../../../protocol/report-document';
import { t } from '../strings';

/** Words for the codes the intake writes; a code this console does not know is shown as it is. */
const REMOVED_ITEM_WORDS: Readonly<Record<string, string>> = {
  gps: 'GPS location',
  exif: 'EXIF data',
  device: 'device and software',
  thumbnail: 'preview picture',
  xmp: 'XMP metadata',
  iptc: 'IPTC data',
  comment: 'comments',
  text: 'text notes',
  time: 'dates and times',
  'recording-time': 'recording date',
  trailing: 'data after the end of the file',
  'document-info': 'document properties (author, title, program, dates)',
  'document-id': 'document identifier',
  revisions: 'earlier revisions',
  scripts: 'scripts and actions',
  'embedded-files': 'attached files',
  'annotation-authors': 'comment authors',
  signatures: 'digital signatures',
  'app-data': 'private application data',
  'pages-as-images': 'everything but pictures of the pages',
  other: 'other data',
};

export function cleaningSentence(cleaning: FileCleaning): string {
  switch (cleaning.status) {
    case 'cleaned': {
      const items = cleaning.removed.map((code) => REMOVED_ITEM_WORDS[code] ?? code).join(', ');
      return t(cleaning.mode === 'pages-only' ? 'file.cleanedPagesOnly' : 'file.cleaned', { items });
    }
    case 'nothing-found':
      return t('file.cleaningNothingFound');
    case 'could-not-clean':
      return t('file.cleaningFailed');
    case 'not-checked':
      return t('file.notChecked');
  }
}
