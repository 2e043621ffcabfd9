import { throughput, type BenchServer } from './harness.js';

/** client_credentials token issuance and introspection, opaque and JWT, with a few requests in flight. */
export async function tokenThroughput(server: BenchServer, total: number, concurrency: number): Promise<string[]> {
  const { issuer } = server.config;
  const apis = {
    jwt: await server.cli<{ client_id: string; client_secret: string }>('resource', 'add', '--identifier', 'https://jwt.bench.example/', '--scope', 'read'),
    opaque: await server.cli<{ client_id: string; client_secret: string }>('resource', 'add', '--identifier', 'https://opaque.bench.example/', '--scope', 'read', '--token-format', 'opaque'),
  };
  const worker = await server.cli<{ client_id: string; client_secret: string }>('client', 'add', '--name', 'Worker', '--grant-type', 'client_credentials',
    '--resource', 'https://jwt.bench.example/', '--resource', 'https://opaque.bench.example/');
  const basic = (c: { client_id: string; client_secret: string }) => `Basic ${Buffer.from(`${c.client_id}:${c.client_secret}`).toString('base64')}`;
  const post = async (path: string, auth: string, form: Record<string, string>) => {
    const res = await fetch(new URL(path, issuer), { method: 'POST', headers: { authorization: auth, 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(form) });
    if (res.status !== 200) throw new Error(`${path} answered ${res.status}: ${await res.text()}`);
    return res.json() as Promise<Record<string, unknown>>;
  };
  const token = (resource: string) => post('/token', basic(worker), { grant_type: 'client_credentials', resource, scope: 'read' });

  const lines: string[] = [];
  for (const [format, api] of Object.entries(apis)) {
    const resource = format === 'jwt' ? 'https://jwt.bench.example/' : 'https://opaque.bench.example/';
    const issue = await throughput(total, concurrency, async () => { await token(resource); });
    const sample = (await token(resource)).access_token as string;
    const introspect = await throughput(total, concurrency, async () => {
      const answer = await post('/token/introspection', basic(api), { token: sample });
      if (answer.active !== true) throw new Error('introspection said inactive');
    });
    lines.push(`  ${format.padEnd(7)} token ${issue.toFixed(0).padStart(5)}/s   introspection ${introspect.toFixed(0).padStart(5)}/s`);
  }
  return lines;
}
