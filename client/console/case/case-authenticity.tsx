/**
 * What the case page says about the case as a whole before anything else: a warning when the server's
 * word contradicts the reporter's signed report, or a calm note for a case sent before messages were signed.
 */
import type { CaseSignature, ReplyRefusal } from '../case-reading';
import { t, type StringKey } from '../strings';

const REFUSED_TEXT: Readonly<Record<'body-mismatch' | 'reply-key-mismatch' | 'unsigned-refused', StringKey>> = {
  'body-mismatch': 'authenticity.caseBodyMismatch',
  'reply-key-mismatch': 'authenticity.caseReplyKeyMismatch',
  'unsigned-refused': 'authenticity.caseUnsignedRefused',
};

export function CaseAuthenticity(props: { signature: CaseSignature; target: { readonly replyPublicKey: string } | { readonly refused: ReplyRefusal } }) {
  const refused = 'refused' in props.target ? props.target.refused : null;
  if (refused === 'body-mismatch' || refused === 'reply-key-mismatch' || refused === 'unsigned-refused') {
    return (
      <p class="warning" role="alert" data-testid="case-authenticity" data-state={refused}>
        {t(REFUSED_TEXT[refused])}
      </p>
    );
  }
  if (props.signature.kind === 'unreadable') {
    return (
      <p class="warning" data-testid="case-authenticity" data-state="unreadable">
        {t('authenticity.caseUnreadable')}
      </p>
    );
  }
  if (props.signature.kind === 'unsigned') {
    return (
      <p class="help" data-testid="case-authenticity" data-state="unsigned">
        {t('authenticity.caseUnsigned')}
      </p>
    );
  }
  return null;
}
