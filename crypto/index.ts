/**
 * The public surface of Candor's crypto core. Everything outside crypto/ imports from here only;
 * the protocol it implements is specified in docs/protocol.md.
 */
export { CryptoError, isCryptoError, type CryptoErrorCode } from './errors';
export type {
  ArmoredPrivateKey,
  ArmoredPublicKey,
  Base64Url,
  CaseId,
  CaseToken,
  Fingerprint,
  Hex,
} from './types';
export { constantTimeEqual, fromBase64Url, toBase64Url, toHex, utf8Decode, utf8Encode } from './bytes';
export { randomBytes } from './random';
export { generateCaseToken, parseCaseToken, TOKEN_SYMBOLS } from './case-token';
export { caseIdOfKeys, deriveCaseKeys, wipeCaseKeys, type CaseIdVersion, type CaseKeys } from './case-keys';
export { caseAuthMessage, sha256Digest, signCaseRequest, verifyCaseRequest, type CaseRequest, type CaseRequestDigest } from './case-auth';
export { padmeLength, paddedLength } from './padding';
export { checkProofOfWork, solveProofOfWork } from './proof-of-work';
export { createSha256, type Sha256Hasher } from './sha256';
export { BLOCK_SHA256_BLOCK_BYTES, blockSha256OfStream, createBlockSha256, type BlockSha256, type Sha256Function } from './block-sha256';
export {
  ENVELOPE_HEADER_BYTES,
  ENVELOPE_VERSION,
  parseEnvelopeHeader,
  type EnvelopeKind,
  type SealedKind,
} from './envelope';
export {
  checkLockedPrivateKey,
  checkRecipientKey,
  generateInvestigatorKey,
  unlockPrivateKey,
  type DecryptionKey,
  type GeneratedKey,
  type RecipientKey,
} from './openpgp-keys';
export { decryptReport, encryptReport, MESSAGE_PADDING_FLOOR, type MessageBinding, type MessageKind } from './report';
export {
  ATTACHMENT_CHUNK_BYTES,
  decryptAttachment,
  encryptAttachment,
  maxStoredAttachmentSize,
  newAttachmentId,
  type AttachmentBinding,
  type AttachmentId,
  type EncryptAttachmentOptions,
} from './attachment';
export { openReply, REPLY_PADDING_FLOOR, sealReply } from './reply';
export { decryptNotificationText, encryptNotificationText, NOTIFICATION_PADDING_FLOOR } from './notification-mail';
export {
  checkDirectoryDocument,
  directorySerial,
  generateDirectoryKeyPair,
  readSignedDirectoryDocument,
  signDirectory,
  signedDirectorySchema,
  verifyDirectory,
  type DirectoryDocument,
  type DirectoryDocumentV2,
  type DirectoryKeyPair,
  type SignedDirectory,
  type VerifiedDirectory,
  type VerifyDirectoryOptions,
} from './directory';
export { isSignedReporterMessage, openReporterMessage, signReporterMessage, type OpenedReporterMessage, type ReporterMessageKind } from './reporter-signature';
export { signInvestigatorText, verifyInvestigatorText, type InvestigatorBinding, type InvestigatorMessageKind } from './investigator-signature';
export {
  signAssetManifest,
  verifyAssetManifest,
  type AssetManifest,
  type SignedAssetManifest,
} from './asset-manifest';
export { authorizedClientLine, clientAuthPrivateLine, fromBase32, generateOnionClientAuthKey, onionClientAuthKeyFromPrivateKey, parseOnionAddress, toBase32, type Base32, type OnionAddress, type OnionClientAuthKey } from './onion-client-auth';
