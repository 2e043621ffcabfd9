import { connect, type Socket } from 'node:net';

export interface BurstRequest {
  readonly method?: string;
  readonly path: string;
  readonly headers?: Record<string, string>;
  readonly body?: string;
}

export interface BurstAnswer {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly text: string;
}

/** Reads one HTTP/1.1 answer from a socket the server closes after it (Connection: close). */
const answerOf = (socket: Socket): Promise<BurstAnswer> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const split = raw.indexOf('\r\n\r\n');
      const [statusLine = '', ...lines] = raw.slice(0, split).split('\r\n');
      const headers = Object.fromEntries(
        lines.map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]),
      );
      resolve({ status: Number(statusLine.split(' ')[1]), headers, text: raw.slice(split + 4) });
    });
  });

/**
 * Sends every request at once, each over a connection of its own: all connections are opened
 * first, then every request is written, in order, before any answer is read. What a guesser with
 * many sockets does, and what a throttle must hold against.
 */
export async function burst(origin: string, requests: readonly BurstRequest[]): Promise<BurstAnswer[]> {
  const { hostname, port } = new URL(origin);
  const sockets = await Promise.all(
    requests.map(
      () =>
        new Promise<Socket>((resolve, reject) => {
          const socket = connect({ host: hostname, port: Number(port) }, () => resolve(socket));
          socket.on('error', reject);
        }),
    ),
  );
  const answers = sockets.map(answerOf);
  requests.forEach((request, i) => {
    const body = Buffer.from(request.body ?? '');
    const head = [
      `${request.method ?? 'POST'} ${request.path} HTTP/1.1`,
      `Host: ${hostname}:${port}`,
      'Connection: close',
      `Content-Length: ${body.length}`,
      ...Object.entries(request.headers ?? {}).map(([name, value]) => `${name}: ${value}`),
    ];
    (sockets[i] as Socket).write(Buffer.concat([Buffer.from(`${head.join('\r\n')}\r\n\r\n`), body]));
  });
  return Promise.all(answers);
}

/** A same-origin form post from the browser whose cookies are `cookie`. */
export const formPost = (
  origin: string,
  path: string,
  cookie: string,
  form: Record<string, string>,
  userAgent = 'Mozilla/5.0 (X11; Linux x86_64) Chrome/156.0 Safari/537.36',
): BurstRequest => ({
  path,
  headers: {
    cookie,
    origin,
    'sec-fetch-site': 'same-origin',
    'content-type': 'application/x-www-form-urlencoded',
    'user-agent': userAgent,
    accept: 'text/html',
  },
  body: new URLSearchParams(form).toString(),
});
