import { createHash } from 'node:crypto';
import type { Brand } from '../config/load-config.js';

/** One file served at a URL that names its content: it can be cached for ever. */
export interface HashedAsset {
  readonly href: string;
  readonly contentType: string;
  readonly body: Buffer;
}

/** The brand's files: its logo, and its stylesheet (colours and extra CSS), when the operator set them. */
export interface BrandAssets {
  readonly logo?: HashedAsset;
  readonly stylesheet?: HashedAsset;
}

const digestOf = (body: Buffer) => createHash('sha256').update(body).digest('hex').slice(0, 16);

/**
 * The colours as custom properties over gatehouse.css's own (a same-origin stylesheet, so the CSP's
 * `style-src 'self'` holds and no page needs an inline <style>), dark mode's under
 * prefers-color-scheme as in gatehouse.css, then the operator's CSS.
 */
function stylesheetOf(brand: Brand): string | undefined {
  const parts: string[] = [];
  if (brand.colors) {
    const { light, dark } = brand.colors;
    parts.push(
      `:root { --accent: ${light.primary}; --on-accent: ${light.onPrimary}; }`,
      `@media (prefers-color-scheme: dark) { :root { --accent: ${dark.primary}; --on-accent: ${dark.onPrimary}; } }`,
    );
  }
  if (brand.css) parts.push(`/* BRAND_CSS_FILE */\n${brand.css}`);
  return parts.length ? `${parts.join('\n')}\n` : undefined;
}

/** Built once at start: a changed file makes a new URL, so browsers never show a stale brand. */
export function brandAssetsOf(brand: Brand): BrandAssets {
  const css = stylesheetOf(brand);
  const stylesheet = css === undefined ? undefined : Buffer.from(css);
  return {
    ...(brand.logo
      ? {
          logo: {
            href: `/assets/brand-logo-${digestOf(brand.logo.body)}.${brand.logo.type}`,
            contentType: brand.logo.type === 'svg' ? 'image/svg+xml' : 'image/png',
            body: brand.logo.body,
          },
        }
      : {}),
    ...(stylesheet
      ? {
          stylesheet: {
            href: `/assets/brand-${digestOf(stylesheet)}.css`,
            contentType: 'text/css; charset=utf-8',
            body: stylesheet,
          },
        }
      : {}),
  };
}
