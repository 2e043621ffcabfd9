import type { AdminPageView } from './admin-shell.js';
import { html, type SafeHtml } from '../views/html.js';

/** One console page as a pure function of data returns it: the frame's page view, less who is signed in. */
export type AdminScreen = Omit<AdminPageView, 'adminEmail'>;

/**
 * A date as the console shows it: UTC to the second, the same on every screen, in a `<time
 * datetime>` that local-time.js rewrites in the administrator's own zone (the UTC text kept as its title).
 */
export const shownTime = (iso: string | null | undefined): SafeHtml | string =>
  iso ? html`<time datetime="${iso}">${iso.slice(0, 10)} ${iso.slice(11, 19)} UTC</time>` : '—';
