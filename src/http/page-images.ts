import type { Context } from 'koa';

const STATE_KEY = 'pageImageOrigins';

// An https origin as a CSP host-source: nothing in it can end the directive or add a source.
const ORIGIN = /^https:\/\/[a-z0-9.-]+(:\d{1,5})?$/;

/**
 * Lets this response's page show an image from `url`'s origin (the consent page's app logo), and
 * returns the URL to put in its <img>, or undefined when it cannot be allowed (not https).
 *
 * Why exactly that origin and not `img-src https:`: only the page that names the image gets it, so
 * every other page keeps `img-src 'self' data:`, and markup injected into any page still cannot
 * load (or send data to) another site through an image. The logo's host learns only that someone
 * viewed the consent page: Referrer-Policy same-origin keeps the page's URL to us.
 */
export function allowPageImage(ctx: Context, url: string): string | undefined {
  const parsed = URL.parse(url);
  if (!parsed || !ORIGIN.test(parsed.origin)) return undefined;
  const origins: string[] = (ctx.state[STATE_KEY] ??= []);
  if (!origins.includes(parsed.origin)) origins.push(parsed.origin);
  return parsed.href;
}

/** The image origins the page being answered was allowed, as CSP host-sources. */
export function allowedImageOrigins(ctx: Context): string[] {
  return [...((ctx.state[STATE_KEY] as string[] | undefined) ?? [])];
}
