/**
 * The Firefox suite's page: the intake's own upload code (client/intake/api.ts) against the loopback
 * intake that serves this page, and OpenPGP.js's own build as the baseline, offered on globalThis.
 */
// First, as in the clients' entries: otherwise the first zod object schema built (crypto/, protocol/)
// probes `new Function('')`, which the CSP refuses and Firefox reports as a violation on every load.
import '../../../protocol/zod-jitless';
import {
  checkRecipientKey,
  createBlockSha256,
  createSha256,
  deriveCaseKeys,
  encryptAttachment,
  encryptReport,
  generateCaseToken,
  newAttachmentId,
  sealReply,
  sha256Digest,
  signCaseRequest,
  solveProofOfWork,
  toBase64Url,
  utf8Encode,
  type AttachmentId,
  type CaseId,
} from '../../../crypto/index';
import { CaseSession, createCase, fetchProofOfWork, uploadAttachment } from '../../../client/intake/api';
import { blockSha256OfFile } from '../../../client/intake/file-digest';
import { webPseudoRandomStream } from '../web-pseudo-random-stream';
import { phoneVideo } from './phone-video';
import { FILE_INPUT_ID, FIREFOX_PAGE_API_GLOBAL, OPENPGP_LIBRARY_PATH, type FirefoxPageApi, type UploadRequest } from './page-api';

const MIB = 1024 * 1024;

/** The part of OpenPGP.js's API the baseline calls. */
interface OpenpgpLibrary {
  readKey(options: { armoredKey: string }): Promise<unknown>;
  createMessage(options: { binary: Uint8Array }): Promise<unknown>;
  encrypt(options: { message: unknown; encryptionKeys: unknown; format: 'binary' }): Promise<Uint8Array>;
}

/** An A4 PDF of `pages` pages, each filled with lines of text, with an author and a title to remove. */
async function textPdf(pages: number): Promise<Uint8Array> {
  const { PDFDocument, StandardFonts } = await import('pdf-lib');
  const document = await PDFDocument.create();
  document.setAuthor('Bench Author');
  document.setTitle('Bench document');
  const font = await document.embedFont(StandardFonts.Helvetica);
  for (let number = 1; number <= pages; number++) {
    const page = document.addPage([595, 842]);
    for (let line = 0; line < 50; line++) {
      page.drawText(`Page ${number}, line ${line + 1}: the minutes of the tender committee, as approved and later changed.`, { x: 40, y: 800 - line * 15, size: 10, font });
    }
  }
  return document.save();
}

/** As the intake's page solves it (client/intake/submit.ts): a pause for the page between batches. */
async function solve(challenge: string, difficultyBits: number): Promise<string> {
  return solveProofOfWork(challenge, difficultyBits, { onProgress: () => new Promise((resolve) => setTimeout(resolve, 0)) });
}

/** A new case as the intake's page creates one, so that the upload runs in a case of its own. */
async function newCase(bodyId: string, armoredPublicKey: string): Promise<CaseSession> {
  const recipient = await checkRecipientKey(armoredPublicKey);
  const keys = await deriveCaseKeys(generateCaseToken());
  const json = JSON.stringify({ format: 'candor-report', version: 1, bodyId, answers: {}, attachments: [] });
  const creation = {
    bodyId,
    caseId: keys.caseId,
    authPublicKey: toBase64Url(keys.authPublicKey),
    replyPublicKey: toBase64Url(keys.replyPublicKey),
    report: toBase64Url(await encryptReport(json, [recipient], { caseId: keys.caseId })),
    reporterCopy: toBase64Url(sealReply(keys.replyPublicKey, utf8Encode(json), 'reporter-copy')),
  };
  const { challenge, difficultyBits } = await fetchProofOfWork();
  await createCase(creation, { challenge, nonce: await solve(challenge, difficultyBits) });
  return new CaseSession(keys);
}

/** The generated data in pieces of one MiB (the last may be shorter), for the baseline's messages. */
async function* mebibytes(totalBytes: number): AsyncGenerator<Uint8Array> {
  const reader = webPseudoRandomStream(totalBytes).getReader();
  let piece = new Uint8Array(Math.min(MIB, totalBytes));
  let filled = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    piece.set(value, filled);
    filled += value.length;
    if (filled === piece.length) {
      yield piece;
      totalBytes -= filled;
      piece = new Uint8Array(Math.min(MIB, totalBytes));
      filled = 0;
    }
  }
}

async function drain(stream: ReadableStream<Uint8Array>, each: (piece: Uint8Array) => void | Promise<void> = () => undefined): Promise<void> {
  const reader = stream.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return;
    await each(value);
  }
}

/**
 * The intake's answers to an upload, given in the page without a server: the same upload code runs,
 * and only the network and the intake's own work (checking, writing, fsync) are left out.
 */
function loopbackSinkFetch(): typeof fetch {
  const answer = (status: number, body: unknown) =>
    new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json', 'Candor-Next-Challenge': 'A'.repeat(51) } });
  return async (input, init) => {
    const url = new URL(String(input), location.href);
    const method = init?.method ?? 'GET';
    const body = init?.body;
    // The client sends every body as bytes.
    const json = () => JSON.parse(new TextDecoder().decode(body as Uint8Array)) as { size: number };
    if (url.pathname === '/api/v1/case/challenge') return answer(201, { challenge: 'A'.repeat(51) });
    if (url.pathname === '/api/v1/case/uploads') return answer(201, { received: 0, size: json().size });
    const upload = /^\/api\/v1\/case\/uploads\/([A-Za-z0-9_-]+)(\/complete)?$/.exec(url.pathname);
    if (upload !== null && method === 'PUT') return answer(200, { received: Number(url.searchParams.get('offset')) + (body as Uint8Array).length });
    if (upload !== null && upload[2] !== undefined) return answer(201, { id: upload[1], size: json().size });
    throw new Error(`The loopback sink does not answer ${method} ${url.pathname}.`);
  };
}

const binding = { caseId: '0'.repeat(64) as CaseId, attachmentId: 'AAAAAAAAAAAAAAAAAAAAAA' as AttachmentId };

const api: FirefoxPageApi = {
  async measureIntakeUpload(request) {
    const session = await newCase(request.bodyId, request.armoredPublicKey);
    const recipient = await checkRecipientKey(request.armoredPublicKey);
    const start = performance.now();
    const source = webPseudoRandomStream(request.plaintextBytes);
    const { size } = await uploadAttachment(session, newAttachmentId(), source, request.plaintextBytes, [recipient], () => undefined);
    return { plaintextBytes: request.plaintextBytes, storedBytes: size, elapsedMs: performance.now() - start };
  },

  async measurePickedFileUpload(request) {
    const file = (document.getElementById(FILE_INPUT_ID) as HTMLInputElement).files?.[0];
    if (file === undefined) throw new Error('No file was picked.');
    const session = await newCase(request.bodyId, request.armoredPublicKey);
    const recipient = await checkRecipientKey(request.armoredPublicKey);
    const start = performance.now();
    await blockSha256OfFile(file);
    const digestMs = performance.now() - start;
    const { size } = await uploadAttachment(session, newAttachmentId(), file.stream(), file.size, [recipient], () => undefined);
    return { plaintextBytes: file.size, storedBytes: size, elapsedMs: performance.now() - start, digestMs };
  },

  async measureSinkUpload(request) {
    const keys = await deriveCaseKeys(generateCaseToken());
    const recipient = await checkRecipientKey(request.armoredPublicKey);
    const realFetch = globalThis.fetch;
    globalThis.fetch = loopbackSinkFetch();
    try {
      const start = performance.now();
      const source = webPseudoRandomStream(request.plaintextBytes);
      const { size } = await uploadAttachment(new CaseSession(keys), newAttachmentId(), source, request.plaintextBytes, [recipient], () => undefined);
      return { plaintextBytes: request.plaintextBytes, storedBytes: size, elapsedMs: performance.now() - start };
    } finally {
      globalThis.fetch = realFetch;
    }
  },

  async measureDirectOpenpgp(request) {
    const openpgp = (await import(/* @vite-ignore */ OPENPGP_LIBRARY_PATH)) as OpenpgpLibrary;
    const key = await openpgp.readKey({ armoredKey: request.armoredPublicKey });
    const start = performance.now();
    let ciphertextBytes = 0;
    for await (const piece of mebibytes(request.plaintextBytes)) {
      const message = await openpgp.createMessage({ binary: piece });
      ciphertextBytes += (await openpgp.encrypt({ message, encryptionKeys: key, format: 'binary' })).length;
    }
    return { plaintextBytes: request.plaintextBytes, ciphertextBytes, elapsedMs: performance.now() - start };
  },

  async measureProofOfWork() {
    const { challenge, difficultyBits } = await fetchProofOfWork();
    const start = performance.now();
    await solve(challenge, difficultyBits);
    return { difficultyBits, elapsedMs: performance.now() - start };
  },

  async profileStages(request: UploadRequest) {
    const mib = request.plaintextBytes / MIB;
    const recipient = await checkRecipientKey(request.armoredPublicKey);
    const timed = async (work: () => Promise<void>) => {
      const start = performance.now();
      await work();
      return (performance.now() - start) / mib;
    };
    const ciphertext: Uint8Array[] = [];
    const generation = await timed(() => drain(webPseudoRandomStream(request.plaintextBytes)));
    const encryption = await timed(() => drain(encryptAttachment(webPseudoRandomStream(request.plaintextBytes), [recipient], binding), (piece) => void ciphertext.push(piece)));
    const wholeFileSha256 = await timed(async () => {
      const hasher = createSha256();
      for (const piece of ciphertext) hasher.update(piece);
      hasher.digestHex();
    });
    const blockSha256 = await timed(async () => {
      const hasher = createBlockSha256();
      for (const piece of ciphertext) await hasher.update(piece);
      await hasher.digestHex();
    });
    const pieceSha256WebCrypto = await timed(async () => {
      for (const piece of ciphertext) await sha256Digest(piece);
    });
    const keys = await deriveCaseKeys(generateCaseToken());
    const requestSignature = await timed(async () => {
      for (let i = 0; i < mib; i++) {
        await signCaseRequest(keys, { challenge: 'A'.repeat(51), method: 'PUT', path: `/api/v1/case/uploads/${binding.attachmentId}?offset=${i * MIB}`, bodySha256: new Uint8Array(32) });
      }
    });
    return { generation, encryptAttachment: encryption - generation, wholeFileSha256, blockSha256, pieceSha256WebCrypto, requestSignature };
  },

  async measurePdfCleaning(pages: number) {
    // Loaded when asked for, as the intake loads them (client/intake/metadata/pdf-file.ts): the tab
    // whose memory is measured then holds only what an intake tab sending a file holds.
    const [{ cleanPdf }, { cleanPdfToPageImages }] = await Promise.all([import('../../../client/intake/metadata/pdf'), import('../../../client/intake/metadata/pdf-pages')]);
    const pdf = await textPdf(pages);
    let start = performance.now();
    await cleanPdf(pdf);
    const hiddenInformationMs = performance.now() - start;
    start = performance.now();
    const pictures = await cleanPdfToPageImages(pdf);
    const pagesOnlyMs = performance.now() - start;
    return { pages, inputBytes: pdf.length, hiddenInformationMs, pagesOnlyMs, pagesOnlyBytes: pictures.bytes.length };
  },

  async measureVideoCleaning(mediaBytes: number) {
    const { cleanFile } = await import('../../../client/intake/metadata/index');
    const video = await phoneVideo(mediaBytes);
    const start = performance.now();
    const { file, report } = await cleanFile(video);
    const elapsedMs = performance.now() - start;
    // A video the cleaner refused or found nothing in would be measured in no time: that is no measure.
    if (report.status !== 'cleaned' || !report.removed.includes('gps') || !report.removed.includes('device')) throw new Error(`The bench video was not cleaned of its place and device: ${JSON.stringify(report)}`);
    return { inputBytes: video.size, outputBytes: file.size, elapsedMs, removed: report.removed };
  },
};

Object.assign(globalThis, { [FIREFOX_PAGE_API_GLOBAL]: api });
