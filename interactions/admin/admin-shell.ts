import { html, type SafeHtml } from '../views/html.js';
import { layout, type LayoutOptions } from '../views/layout.js';

/** The console's sections, in the order the navigation shows them. */
export const ADMIN_SECTIONS = [
  { id: 'overview', label: 'Overview', href: '/admin' },
  { id: 'people', label: 'People', href: '/admin/people' },
  { id: 'applications', label: 'Applications', href: '/admin/applications' },
  { id: 'apis', label: 'APIs', href: '/admin/apis' },
  { id: 'audit', label: 'Audit log', href: '/admin/audit' },
] as const;

export type AdminSection = (typeof ADMIN_SECTIONS)[number]['id'];

export interface AdminPageView {
  /** The page's own title (the <h1> and the browser tab). */
  readonly title: string;
  /** Which navigation entry is current. */
  readonly section: AdminSection;
  readonly body: SafeHtml;
  /** The administrator signed in, shown beside the sign-out link. */
  readonly adminEmail: string;
  /** A message after an action (role=status) and a refusal (role=alert). */
  readonly notice?: string;
  readonly error?: string;
  /** Our own scripts the page runs, already allowed by hash (src/http/page-scripts.ts). */
  readonly scripts?: LayoutOptions['scripts'];
}

/** Every admin page: the navigation (aria-current on the section shown), the messages, then the page's body. */
export function adminPage(view: AdminPageView): string {
  return layout({
    title: `${view.title} · Admin`,
    full: true,
    scripts: view.scripts,
    body: html`<header class="admin-head">
<nav aria-label="Admin console"><ul class="admin-nav">${ADMIN_SECTIONS.map(
      (s) =>
        html`<li><a href="${s.href}"${s.id === view.section ? html` aria-current="page"` : ''}>${s.label}</a></li>`,
    )}</ul></nav>
<p class="muted admin-who">Signed in as ${view.adminEmail} · <a href="/account">Your account</a> · <a href="/session/end">Sign out</a></p>
</header>
<h1>${view.title}</h1>
${view.notice ? html`<p class="notice" role="status">${view.notice}</p>` : ''}
${view.error ? html`<p class="alert" role="alert">${view.error}</p>` : ''}
${view.body}`,
  });
}

/** The one refusal every signed-in non-administrator sees, whatever /admin URL they asked for. */
export function adminForbiddenPage(): string {
  return layout({
    title: 'Not an administrator',
    body: html`<h1>Not an administrator</h1>
<p class="lead">The admin console is only for accounts with the administrator role, and yours does not have it.</p>
<p class="muted">If you need access, ask an administrator of this server.</p>
<p><a href="/account">Go to your account</a></p>`,
  });
}

/** After a sign-in for the console was cancelled or refused at the sign-in screens. */
export function adminSignInFailedPage(retry: string): string {
  return layout({
    title: 'Sign-in not completed',
    body: html`<h1>Sign-in not completed</h1>
<p class="lead">The admin console needs you to sign in with your password and a second factor.</p>
<p><a class="button" href="${retry}">Sign in again</a></p>`,
  });
}
