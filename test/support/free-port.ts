import { createServer } from 'node:net';

// Ports the kernel hands to outgoing connections (net.ipv4.ip_local_port_range, 32768-60999 here)
// are a trap: a port found free with listen(0) can be taken by any client socket (a pg pool, a fetch)
// in the seconds before the server that wanted it starts listening. So ports come from below that
// range, each Jest worker drawing from its own block so two workers never race for one.
const FIRST_PORT = 20_000;
const BLOCK_SIZE = 1_000;
const BLOCKS = 12;

const worker = Number(process.env.JEST_WORKER_ID ?? 1);
const blockStart = FIRST_PORT + ((worker - 1) % BLOCKS) * BLOCK_SIZE;
let next = Math.floor(Math.random() * BLOCK_SIZE);

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** A TCP port nothing is listening on right now, and that no outgoing connection will be given. */
export async function freePort(): Promise<number> {
  for (let tries = 0; tries < BLOCK_SIZE; tries += 1) {
    const port = blockStart + (next % BLOCK_SIZE);
    next += 1;
    if (await canListen(port)) return port;
  }
  throw new Error(`no free port in ${blockStart}-${blockStart + BLOCK_SIZE - 1}`);
}
