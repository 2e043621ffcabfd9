import type { Target } from './targets.js';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

/**
 * Enumeration parity: the sign-in answer time for an unknown email, a wrong password and the right
 * password, interleaved. Every request comes from its own forwarded address and each round ends
 * with a success that clears the account's count, so throttling never kicks in.
 */
export async function signInTiming(server: Target, rounds: number): Promise<string[]> {
  const { issuer } = server;
  await server.cli('user', 'add', '--email', 'timing@example.com', '--password', 'benchmark passphrase');
  const { client_id: clientId } = await server.cli<{ client_id: string }>(
    'client',
    'add',
    '--name',
    'Timing',
    '--redirect-uri',
    'https://bench.example/cb',
    '--first-party',
  );

  const newInteraction = async () => {
    const auth = new URL('/auth', issuer);
    auth.search = new URLSearchParams({
      client_id: clientId,
      response_type: 'code',
      scope: 'openid',
      redirect_uri: 'https://bench.example/cb',
      code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
      code_challenge_method: 'S256',
    }).toString();
    const res = await fetch(auth, { redirect: 'manual' });
    const cookie = res.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; ');
    return { uid: /\/interaction\/([^/?]+)/.exec(res.headers.get('location') ?? '')?.[1] ?? '', cookie };
  };
  const timeSignIn = async (email: string, password: string) => {
    const { uid, cookie } = await newInteraction();
    const started = performance.now();
    const res = await fetch(new URL(`/interaction/${uid}/login`, issuer), {
      method: 'POST',
      redirect: 'manual',
      headers: {
        cookie,
        'content-type': 'application/x-www-form-urlencoded',
        origin: issuer,
        'x-forwarded-for': `10.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`,
      },
      body: new URLSearchParams({ email, password }),
    });
    await res.arrayBuffer();
    return { ms: performance.now() - started, status: res.status };
  };

  const cases = {
    'unknown email': ['nobody-NN@example.com', 'benchmark passphrase'],
    'wrong password': ['timing@example.com', 'not the passphrase'],
    'right password': ['timing@example.com', 'benchmark passphrase'],
  } as const;
  const samples = new Map<string, number[]>();
  const statuses = new Map<string, Set<number>>();
  for (let round = 0; round < rounds; round += 1) {
    for (const [name, [email, password]] of Object.entries(cases)) {
      const { ms, status } = await timeSignIn(email.replace('NN', String(round)), password);
      samples.set(name, [...(samples.get(name) ?? []), ms]);
      statuses.set(name, (statuses.get(name) ?? new Set()).add(status));
    }
  }
  const base = median(samples.get('wrong password') ?? []);
  return Object.keys(cases).map((name) => {
    const m = median(samples.get(name) ?? []);
    return `  ${name.padEnd(15)} ${m.toFixed(1).padStart(7)} ms  x${(m / base).toFixed(2)}  status ${[...(statuses.get(name) ?? [])].join(',')}`;
  });
}
