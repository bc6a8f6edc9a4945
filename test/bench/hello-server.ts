/**
 * The baseline: a bare Express 5 app answering GET /hello with {"ok":true}, on 127.0.0.1 at
 * HELLO_PORT. What the intake costs beyond this is the intake's own work. Prints a line starting
 * "Hello server:" once it listens.
 */
import express from 'express';

const port = Number(process.env.HELLO_PORT);
if (!Number.isSafeInteger(port) || port < 1 || port > 65_535) throw new RangeError(`HELLO_PORT must be a port; it is "${process.env.HELLO_PORT}".`);

const app = express();
app.get('/hello', (_req, res) => {
  res.json({ ok: true });
});
app.listen(port, '127.0.0.1', (error) => {
  if (error) throw error;
  console.log(`Hello server: http://127.0.0.1:${port}/`);
});
