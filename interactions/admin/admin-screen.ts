import type { SafeHtml } from '../views/html.js';

/** One console page before the frame puts it in its layout: its title and its content. */
export interface AdminScreen {
  readonly title: string;
  readonly body: SafeHtml;
}

/** A date as the console shows it: UTC, to the second, the same on every screen. */
export const shownTime = (iso: string | null | undefined): string =>
  iso ? `${iso.slice(0, 10)} ${iso.slice(11, 19)} UTC` : '—';
