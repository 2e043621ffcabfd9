import type { AdminPageView } from './admin-shell.js';

/** One console page as a pure function of data returns it: the frame's page view, less who is signed in. */
export type AdminScreen = Omit<AdminPageView, 'adminEmail'>;

/** A date as the console shows it: UTC, to the second, the same on every screen. */
export const shownTime = (iso: string | null | undefined): string =>
  iso ? `${iso.slice(0, 10)} ${iso.slice(11, 19)} UTC` : '—';
