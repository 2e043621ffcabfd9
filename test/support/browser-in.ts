import { UserAgent } from './user-agent.js';

/**
 * A scripted browser set to a language: it sends `Accept-Language: <language>` (and any other
 * `headers`, such as the address a proxy saw) with every request, the redirects it follows
 * included, as a browser set to that language does. Without a language it sends none.
 */
export class BrowserIn extends UserAgent {
  private readonly headers: Readonly<Record<string, string>>;

  constructor(origin: string, language?: string, headers: Readonly<Record<string, string>> = {}) {
    super(origin);
    this.headers = language === undefined ? headers : { 'accept-language': language, ...headers };
  }

  override request(target: string | URL, init: Parameters<UserAgent['request']>[1] = {}): Promise<Response> {
    return super.request(target, { ...init, headers: { ...this.headers, ...init.headers } });
  }
}
