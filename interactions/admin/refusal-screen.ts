import { html } from '../views/html.js';
import type { AdminScreen } from './admin-screen.js';

/** A refusal (no such application, a change lost to another): what happened, and the way back. */
export function refusalScreen(
  section: AdminScreen['section'],
  title: string,
  message: string,
  back: string,
): AdminScreen {
  return {
    title,
    section,
    error: message,
    body: html`<p><a href="${back}">Back to ${title}</a></p>`,
  };
}
