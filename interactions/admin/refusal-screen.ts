import { html } from '../views/html.js';
import type { AdminScreen } from './admin-screen.js';

/** A refusal (no such application, a change lost to another): what happened, and the way back. */
export function refusalScreen(section: string, message: string, back: string): AdminScreen {
  return {
    title: section,
    body: html`<h1>${section}</h1>
<p class="alert" role="alert">${message}</p>
<p><a href="${back}">Back to ${section}</a></p>`,
  };
}
