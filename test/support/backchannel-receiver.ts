import { createServer, type Server } from 'node:http';

/**
 * A relying party's back-channel logout endpoint: a real HTTP server on 127.0.0.1 that records each
 * `logout_token` it receives and answers 200 (OIDC Back-Channel Logout §2.8).
 */
export async function backchannelReceiver() {
  const tokens: string[] = [];
  /** How many of the next notices to refuse with 503 (an RP having an outage). */
  const state = { refuse: 0, refused: 0 };
  const waiters: (() => void)[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      body += chunk;
    });
    req.on('end', () => {
      const token = new URLSearchParams(body).get('logout_token');
      if (token && state.refuse > 0) {
        state.refuse -= 1;
        state.refused += 1;
        res.writeHead(503).end();
        return;
      }
      if (req.method === 'POST' && token) tokens.push(token);
      res.writeHead(token ? 200 : 400, { 'cache-control': 'no-store' }).end();
      for (const wake of waiters.splice(0)) wake();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}/backchannel-logout`,
    tokens,
    /** Refuse the next `count` notices with 503; `refused` counts those refused so far. */
    refuseNext(count: number) {
      state.refuse = count;
    },
    get refused() {
      return state.refused;
    },
    /** Resolves once at least `count` tokens have arrived in all (or after `ms`). */
    async received(count: number, ms = 5000): Promise<string[]> {
      const deadline = Date.now() + ms;
      while (tokens.length < count && Date.now() < deadline) {
        await new Promise<void>((resolve) => {
          waiters.push(resolve);
          setTimeout(resolve, 100);
        });
      }
      return tokens.slice();
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
