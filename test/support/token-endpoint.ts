/** Client credentials as `gatehouse client add --json` and `gatehouse resource add --json` print them. */
export interface Credentials {
  readonly client_id: string;
  readonly client_secret?: string;
}

export interface FormAnswer {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  /** The parsed JSON body, or an empty object when the answer is not JSON. */
  readonly body: Record<string, unknown>;
}

const basic = ({ client_id, client_secret = '' }: Credentials) =>
  `Basic ${Buffer.from(`${encodeURIComponent(client_id)}:${encodeURIComponent(client_secret)}`).toString('base64')}`;

/**
 * One form POST to a back-channel endpoint (token, introspection, revocation), the way a client
 * library sends it: secret in the Authorization header, or `client_id` in the body for public clients.
 */
export async function postForm(
  base: string,
  path: string,
  client: Credentials,
  form: Record<string, string>,
  headers: Record<string, string> = {},
): Promise<FormAnswer> {
  const auth: Record<string, string> = client.client_secret !== undefined ? { authorization: basic(client) } : {};
  const body = new URLSearchParams(
    client.client_secret !== undefined ? form : { client_id: client.client_id, ...form },
  );
  const res = await fetch(`${base}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...auth, ...headers },
    body,
  });
  const text = await res.text();
  const json =
    text && res.headers.get('content-type')?.includes('json') ? (JSON.parse(text) as Record<string, unknown>) : {};
  return { status: res.status, headers: res.headers, text, body: json };
}
