import type net from 'node:net';

const SSL_REQUEST = 80877103;
const GSSENC_REQUEST = 80877104;
const CANCEL_REQUEST = 80877102;

/**
 * A client beyond the one `keel db serve` lets through, answered as PostgreSQL answers a client over max_connections:
 * its startup packet read (an SSL or GSSAPI request before it declined with 'N'), then an ErrorResponse FATAL 53300, so
 * psql and drivers print a message instead of a protocol error. A cancel request (psql's Ctrl-C opens a new connection
 * for it) is closed without a word: PGlite cannot cancel a running statement.
 *
 * @example
 * front.on('connection', (s) => (busy ? refuseSecondClient(s) : admit(s)));
 */
export function refuseSecondClient(socket: net.Socket): void {
  let buf = Buffer.alloc(0);
  const timer = setTimeout(() => socket.destroy(), 5_000);
  socket.once('close', () => clearTimeout(timer));
  socket.on('error', () => socket.destroy());
  socket.on('data', (chunk: Buffer) => {
    buf = Buffer.concat([buf, chunk]);
    while (buf.length >= 8) {
      const length = buf.readInt32BE(0);
      if (length < 8 || length > 10_000) return void socket.destroy();
      if (buf.length < length) return;
      const code = buf.readInt32BE(4);
      buf = buf.subarray(length);
      if (code === SSL_REQUEST || code === GSSENC_REQUEST) {
        socket.write('N');
        continue;
      }
      if (code === CANCEL_REQUEST) return void socket.destroy();
      socket.end(errorResponse(TOO_MANY));
      return;
    }
  });
}

const TOO_MANY: Record<string, string> = {
  S: 'FATAL',
  V: 'FATAL',
  C: '53300',
  M: 'keel db serve takes one connection at a time (the embedded database has one session), and another client is connected',
  H: 'close the other connection, or set your tool to use a single connection; [db] engine = "local-server" is a real server for many',
};

/** An ErrorResponse message: 'E', its length, then each field as a type byte and a NUL-terminated string, then a NUL. */
function errorResponse(fields: Record<string, string>): Buffer {
  const body = Buffer.concat([...Object.entries(fields).map(([k, v]) => Buffer.from(`${k}${v}\0`, 'utf8')), Buffer.from([0])]);
  const head = Buffer.alloc(5);
  head.write('E', 0, 'latin1');
  head.writeInt32BE(body.length + 4, 1);
  return Buffer.concat([head, body]);
}
