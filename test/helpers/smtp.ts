/**
 * A real SMTP server on loopback (the `smtp-server` package) that keeps every mail it accepts, for
 * tests of investigators' alerts: what each mail says, to whom, and what it must not carry.
 */
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  readonly from: string;
  readonly to: readonly string[];
  /** The message as it came over the wire, headers and all. */
  readonly raw: string;
  /** The text body, its transfer encoding undone. */
  readonly text: string;
  header(name: string): string | undefined;
}

export interface TestSmtpServer {
  readonly port: number;
  readonly mails: ReceivedMail[];
  /** Connections the server accepted, whether or not a mail followed. */
  connections: number;
  close(): Promise<void>;
}

function decodeBody(headers: string, body: string): string {
  const encoding = /^content-transfer-encoding:\s*(\S+)/im.exec(headers)?.[1]?.toLowerCase();
  if (encoding === 'quoted-printable') {
    const bytes = body.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_whole, hex: string) => String.fromCharCode(parseInt(hex, 16)));
    return Buffer.from(bytes, 'latin1').toString('utf8');
  }
  if (encoding === 'base64') return Buffer.from(body.replace(/\s/g, ''), 'base64').toString('utf8');
  return body;
}

function parseMail(from: string, to: readonly string[], raw: string): ReceivedMail {
  const split = raw.indexOf('\r\n\r\n');
  const headers = raw.slice(0, split);
  const text = decodeBody(headers, raw.slice(split + 4)).replace(/\r\n/g, '\n');
  const unfolded = headers.replace(/\r\n[ \t]+/g, ' ');
  return {
    from,
    to,
    raw,
    text,
    header: (name) => new RegExp(`^${name}:\\s*(.*)$`, 'im').exec(unfolded)?.[1],
  };
}

/**
 * Starts the server on 127.0.0.1 without TLS or authentication (the sender's `security: none`, loopback
 * only), on `port` if given (to stand in for a server that comes back), else on one the system picks;
 * with `login`, it takes mail only after that user name and password.
 */
export async function startTestSmtpServer(port = 0, login?: { user: string; password: string }): Promise<TestSmtpServer> {
  const mails: ReceivedMail[] = [];
  const server = new SMTPServer({
    authOptional: login === undefined,
    // Loopback only, in a test: a login over plain text is what `security: none` to a local relay sends.
    allowInsecureAuth: true,
    disabledCommands: login === undefined ? ['STARTTLS', 'AUTH'] : ['STARTTLS'],
    onAuth(auth, _session, callback) {
      if (login !== undefined && auth.username === login.user && auth.password === login.password) callback(null, { user: auth.username });
      else callback(new Error('Invalid username or password'));
    },
    logger: false,
    onConnect(_session, callback) {
      smtp.connections += 1;
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const from = session.envelope.mailFrom === false ? '' : session.envelope.mailFrom.address;
        mails.push(parseMail(from, session.envelope.rcptTo.map((address) => address.address), Buffer.concat(chunks).toString('utf8')));
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', () => resolve()));
  const address = server.server.address();
  const smtp: TestSmtpServer = {
    port: typeof address === 'object' && address !== null ? address.port : 0,
    mails,
    connections: 0,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
  return smtp;
}
