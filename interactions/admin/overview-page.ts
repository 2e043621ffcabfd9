import type { AdminPageModule } from './admin-frame.js';
import { html } from '../views/html.js';

/** The console's first page (/admin). */
export const overviewPage = (): AdminPageModule => (router, kit) => {
  router.get('/', (ctx) => {
    kit.render(ctx, { title: 'Overview', section: 'overview', body: html`<p class="lead">Gatehouse at a glance.</p>` });
  });
};
