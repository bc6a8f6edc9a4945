/** The browser suite's page: the crypto core and the shared measurement, offered on globalThis. */
// First, as in the clients' entries (protocol/zod-jitless.ts): no CSP violation on load.
import '../../../protocol/zod-jitless';
import { checkRecipientKey, type AttachmentBinding, type AttachmentId, type CaseId } from '../../../crypto/index';
import { measureAttachmentEncryption, measureGeneration } from '../attachment-encryption';
import { PAGE_API_GLOBAL, type PageApi } from './page-api';

const api: PageApi = {
  async measureEncryption(request) {
    // A RecipientKey cannot be passed in: the parsed key behind it lives in this realm's crypto core.
    const recipient = await checkRecipientKey(request.armoredPublicKey);
    // The same binding as the Node side, so that both ciphertexts must have the same length.
    const binding: AttachmentBinding = { caseId: request.caseId as CaseId, attachmentId: request.attachmentId as AttachmentId };
    return measureAttachmentEncryption(request.plaintextBytes, recipient, binding);
  },
  measureGeneration,
};

Object.assign(globalThis, { [PAGE_API_GLOBAL]: api });
