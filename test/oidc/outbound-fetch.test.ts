import { createServer } from 'node:http';
import { createOutboundFetch } from '../../src/oidc/outbound-fetch.js';

describe('outbound calls from the provider', () => {
  // Stands in for oidc-provider's SSRF-guarding dispatcher: one that refuses every connection.
  const refusingDispatcher = {
    dispatch() {
      throw new Error('refused by the SSRF guard');
    },
  };

  it("keep the provider's SSRF guard by default, and drop it only when private networks are allowed", async () => {
    const server = createServer((_req, res) => res.end('ok'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    try {
      const url = `http://127.0.0.1:${port}/backchannel`;
      await expect(
        createOutboundFetch(false)(url, { dispatcher: refusingDispatcher } as RequestInit),
      ).rejects.toThrow();
      const res = await createOutboundFetch(true)(url, { dispatcher: refusingDispatcher } as RequestInit);
      expect(await res.text()).toBe('ok');
    } finally {
      server.close();
    }
  });
});
