/**
 * A scripted browser for HTTP-level tests: keeps cookies (honouring Path, Max-Age/Expires) and
 * sends what a same-origin form post sends. The real-browser journey uses Chromium instead.
 */
interface StoredCookie {
  name: string;
  value: string;
  path: string;
  expires?: number;
  raw: string;
}

export class UserAgent {
  private jar = new Map<string, StoredCookie>();
  constructor(
    readonly origin: string,
    readonly userAgent = 'Mozilla/5.0 (X11; Linux x86_64) Chrome/156.0 Safari/537.36',
    /** How requests are sent: fetch, or test/support/https-fetch.ts to trust a private CA. */
    private readonly send: typeof fetch = fetch,
  ) {}

  /** Raw Set-Cookie lines received so far, by cookie name. */
  readonly setCookies = new Map<string, string>();

  private store(res: Response): void {
    for (const line of res.headers.getSetCookie()) {
      const [pair = '', ...attrs] = line.split(';').map((p) => p.trim());
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq);
      const value = pair.slice(eq + 1);
      const attr = (key: string) =>
        attrs
          .find((a) => a.toLowerCase().startsWith(`${key}=`))
          ?.split('=')
          .slice(1)
          .join('=');
      const path = attr('path') ?? '/';
      const maxAge = attr('max-age');
      const expires =
        maxAge !== undefined
          ? Date.now() + Number(maxAge) * 1000
          : attr('expires')
            ? Date.parse(attr('expires') as string)
            : undefined;
      this.setCookies.set(name, line);
      const key = `${name};${path}`;
      if (!value || (expires !== undefined && expires <= Date.now())) this.jar.delete(key);
      else this.jar.set(key, { name, value, path, expires, raw: line });
    }
  }

  cookieHeader(url: URL): string {
    return [...this.jar.values()]
      .filter((c) => url.pathname.startsWith(c.path) && (c.expires === undefined || c.expires > Date.now()))
      .map((c) => `${c.name}=${c.value}`)
      .join('; ');
  }

  cookieNames(): string[] {
    return [...this.jar.values()].map((c) => c.name);
  }

  /** Puts a cookie in the jar as if the server had set it (to present a forged or foreign one). */
  plant(name: string, value: string, path = '/'): void {
    this.jar.set(`${name};${path}`, { name, value, path, raw: `${name}=${value}` });
  }

  /** The value of a cookie in the jar. */
  cookie(name: string): string | undefined {
    return [...this.jar.values()].find((c) => c.name === name)?.value;
  }

  forget(name: string): void {
    for (const [key, c] of this.jar) if (c.name === name) this.jar.delete(key);
  }

  async request(
    target: string | URL,
    init: { method?: string; form?: Record<string, string>; headers?: Record<string, string> } = {},
  ): Promise<Response> {
    const url = new URL(target, this.origin);
    const headers: Record<string, string> = { 'user-agent': this.userAgent, accept: 'text/html', ...init.headers };
    const cookie = this.cookieHeader(url);
    if (cookie) headers.cookie = cookie;
    let body: string | undefined;
    if (init.form) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      headers.origin ??= this.origin;
      headers['sec-fetch-site'] ??= 'same-origin';
      body = new URLSearchParams(init.form).toString();
    }
    const res = await this.send(url, {
      method: init.method ?? (init.form ? 'POST' : 'GET'),
      headers,
      body,
      redirect: 'manual',
    });
    this.store(res);
    return res;
  }

  get(target: string | URL, headers?: Record<string, string>): Promise<Response> {
    return this.request(target, { headers });
  }

  post(target: string | URL, form: Record<string, string>, headers?: Record<string, string>): Promise<Response> {
    return this.request(target, { form, headers });
  }

  /** Follows redirects within the server; stops at the first answer that is not a redirect or that leaves it. */
  async follow(res: Response): Promise<Response> {
    let current = res;
    for (let hops = 0; hops < 10 && [302, 303].includes(current.status); hops += 1) {
      const next = new URL(current.headers.get('location') as string, this.origin);
      if (next.origin !== this.origin) return current;
      current = await this.get(next);
    }
    return current;
  }
}
