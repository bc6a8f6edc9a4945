/**
 * Attack drill, issue 13 §4, on a real loopback server with raw sockets: upload pieces refused from
 * their headers before any of their body is sent, the cap on connections, and requests that stall
 * cut off after limits.requestSeconds. Every wait is for an event on a socket, never for time.
 */
import { once } from 'node:events';
import { connect, type Socket } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { newAttachmentId, signCaseRequest } from '../../../crypto/index';
import { makeInvestigator, type TestInvestigator } from '../../helpers/crypto';
import { expectStatus, sha256Hex, startTestIntake, TestReporter, type TestIntake } from '../../helpers/intake';
import { expectNoServerErrors, genuineReporterGetsThrough, serveOnLoopback, type DrillServer } from './drill';

const MiB = 1024 * 1024;

let investigator: TestInvestigator;
let intake: TestIntake;
let served: DrillServer;

beforeAll(async () => {
  investigator = await makeInvestigator('Abuse Drill Investigator');
});

async function start(limits: { connections?: number; requestSeconds?: number } = {}): Promise<void> {
  intake = await startTestIntake({ investigator });
  served = await serveOnLoopback(intake, limits);
}

async function stop(): Promise<void> {
  await served.close();
  intake.close();
}

async function openSocket(port: number): Promise<Socket> {
  const socket = connect(port, '127.0.0.1');
  await once(socket, 'connect');
  return socket;
}

/** The head of an HTTP/1.1 request: request line and headers, without a body. */
function requestHead(method: string, path: string, headers: Record<string, string | number>): string {
  return [`${method} ${path} HTTP/1.1`, 'Host: 127.0.0.1', ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`), '', ''].join('\r\n');
}

/** Reads one whole answer off the socket: its status and body, as many body bytes as Content-Length says. */
function answerOn(socket: Socket): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    let received = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      const end = received.indexOf('\r\n\r\n');
      if (end < 0) return;
      const head = received.subarray(0, end).toString('latin1');
      const length = Number(/\r\ncontent-length: *(\d+)/i.exec(head)?.[1] ?? 0);
      if (received.length >= end + 4 + length) resolve({ status: Number(head.split(' ')[1]), body: received.subarray(end + 4, end + 4 + length).toString('utf8') });
    });
    socket.once('error', reject);
    socket.once('close', () => reject(new Error(`The connection closed before a whole answer came: ${received.toString('latin1')}`)));
  });
}

describe('upload pieces whose headers do not verify', () => {
  afterEach(() => stop());

  it('when 64 connections each announce a 4 MiB piece without a valid signature, then each gets 401 before sending any of it, and nothing is written', async () => {
    await start();
    const reporter = await TestReporter.create(intake);
    await reporter.createCase('My upload is under way.');
    const uploadId = newAttachmentId();
    expectStatus(await reporter.send('POST', '/api/v1/case/uploads', { uploadId, size: 8 * MiB }), 201);
    const path = `/api/v1/case/uploads/${uploadId}?offset=0`;
    const stranger = await TestReporter.create(intake);
    // Challenges are free for any case id: the attacker has as many as they like.
    const challenge = await reporter.challenge();
    const declared = { 'Content-Length': 4 * MiB, 'Content-Type': 'application/octet-stream', 'Candor-Content-SHA256': 'ab'.repeat(32) };
    const caseHeaders = { 'Candor-Case-Id': reporter.keys.caseId, 'Candor-Challenge': challenge };
    const strangersSignature = await signCaseRequest(stranger.keys, { challenge, method: 'PUT', path, body: new Uint8Array(4) });
    const heads = [
      requestHead('PUT', path, declared),
      requestHead('PUT', path, { ...declared, ...caseHeaders, 'Candor-Signature': 'A'.repeat(86) }),
      requestHead('PUT', path, { ...declared, ...caseHeaders, 'Candor-Signature': strangersSignature }),
      requestHead('PUT', path, { ...declared, ...caseHeaders, 'Candor-Signature': strangersSignature, 'Candor-Content-SHA256': 'not hex' }),
    ];

    const sockets = await Promise.all(Array.from({ length: 64 }, () => openSocket(served.port)));
    const answers = await Promise.all(
      sockets.map(async (socket, i) => {
        const answer = answerOn(socket);
        socket.write(heads[i % heads.length]!);
        return answer;
      }),
    );

    expect(new Set(answers.map(({ status }) => status))).toEqual(new Set([401]));
    expect(new Set(answers.map(({ body }) => JSON.parse(body).error.code))).toEqual(new Set(['unauthorized']));
    // Only the heads went out: not one byte of any body.
    expect(sockets.map((socket) => socket.bytesWritten)).toEqual(sockets.map((_, i) => Buffer.byteLength(heads[i % heads.length]!)));
    for (const socket of sockets) socket.destroy();
    expect(await intake.storage.blobs.received(uploadId)).toBe(0);

    const piece = new Uint8Array(1024).fill(3);
    expect(expectStatus(await reporter.send('PUT', path, undefined, { raw: piece }), 200).body).toEqual({ received: 1024 });
    await genuineReporterGetsThrough(intake);
    expectNoServerErrors(intake);
  });
});

describe('the cap on connections', () => {
  afterEach(() => stop());

  it('when idle connections fill limits.connections, then one more is closed by the server, and once they close a genuine request is answered', async () => {
    await start({ connections: 8 });
    const accepted: Socket[] = [];
    const allAccepted = new Promise<void>((resolve) => {
      served.server.on('connection', (socket: Socket) => {
        accepted.push(socket);
        if (accepted.length === 8) resolve();
      });
    });
    const idle = await Promise.all(Array.from({ length: 8 }, () => openSocket(served.port)));
    await allAccepted;

    const dropped = once(served.server, 'drop');
    const ninth = connect(served.port, '127.0.0.1');
    // A reset is one of the ways the server may close it.
    ninth.on('error', () => undefined);
    await once(ninth, 'close');
    await dropped;
    expect(ninth.bytesRead).toBe(0);
    expect(accepted).toHaveLength(8);

    const released = accepted.map((socket) => once(socket, 'close'));
    for (const socket of idle) socket.destroy();
    await Promise.all(released);
    const answer = await fetch(`${served.url}/api/v1/bodies`);
    expect(answer.status).toBe(200);
    expect(((await answer.json()) as { bodies: unknown[] }).bodies).toHaveLength(1);
    await genuineReporterGetsThrough(intake);
  });
});

describe('requests that stall', () => {
  let reporter: TestReporter;
  let uploadId: string;
  let answered: string[];

  beforeAll(async () => {
    await start({ requestSeconds: 1 });
    reporter = await TestReporter.create(intake);
    await reporter.createCase('I will stall my own upload.');
    uploadId = newAttachmentId();
    expectStatus(await reporter.send('POST', '/api/v1/case/uploads', { uploadId, size: 8192 }), 201);
    const piece = new Uint8Array(8192).fill(9);
    const path = `/api/v1/case/uploads/${uploadId}?offset=0`;
    const challenge = await reporter.challenge();
    const signature = await signCaseRequest(reporter.keys, { challenge, method: 'PUT', path, body: piece });
    // With valid work in its headers, so that the server goes on to read the body that then stalls.
    const creation = (await (await TestReporter.create(intake)).caseCreationBody('stalled')) as { caseId: string; proofOfWork: { challenge: string; nonce: string } };
    const work = { 'Candor-Case-Id': creation.caseId, 'Candor-Proof-Of-Work': `${creation.proofOfWork.challenge}.${creation.proofOfWork.nonce}` };
    const stalled = [
      'GET /api/v1/bodies HTTP/1.1\r\nHost: 127.0.0.1\r\n',
      `${requestHead('POST', '/api/v1/cases', { 'Content-Type': 'application/json', 'Content-Length': 1000, ...work })}{"bodyId":`,
      requestHead('PUT', path, {
        'Content-Type': 'application/octet-stream',
        'Content-Length': piece.length,
        'Candor-Case-Id': reporter.keys.caseId,
        'Candor-Challenge': challenge,
        'Candor-Signature': signature,
        'Candor-Content-SHA256': sha256Hex(piece),
      }),
    ];
    const sockets = await Promise.all(stalled.map(() => openSocket(served.port)));
    answered = stalled.map(() => '');
    sockets.forEach((socket, i) => socket.on('data', (chunk: Buffer) => (answered[i] += chunk.toString('latin1'))));
    const closed = sockets.map((socket) => once(socket, 'close'));
    sockets.forEach((socket, i) => socket.write(stalled[i]!));
    sockets[2]!.write(piece.subarray(0, 4096));
    // The only wait: for the server to close all three. It does so once limits.requestSeconds have passed.
    await Promise.all(closed);
  });
  afterAll(() => stop());

  it('when headers, a case creation’s body or a signed upload piece stop arriving, then the server answers 408, closes each, and keeps answering', async () => {
    expect(answered.map((text) => text.split('\r\n')[0])).toEqual(answered.map(() => 'HTTP/1.1 408 Request Timeout'));
    await genuineReporterGetsThrough(intake);
  });

  it('when a signed piece was cut off, then what arrived of it is kept and the upload resumes from there', async () => {
    expect(expectStatus(await reporter.send('GET', `/api/v1/case/uploads/${uploadId}`), 200).body).toEqual({ received: 4096, size: 8192 });
    const rest = new Uint8Array(4096).fill(9);
    expect(expectStatus(await reporter.send('PUT', `/api/v1/case/uploads/${uploadId}?offset=4096`, undefined, { raw: rest }), 200).body).toEqual({ received: 8192 });
  });

  it('when requests were cut off, then none of them is logged or counted as a failure of the server', () => {
    expectNoServerErrors(intake);
  });
});
