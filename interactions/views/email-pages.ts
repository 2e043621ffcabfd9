import { html, type SafeHtml } from './html.js';
import { layout } from './layout.js';
import { t, tHtml } from '../page/translate.js';

/** A GET shows this and changes nothing (mail scanners open links); the button does it. */
export function confirmEmailPage({
  token,
  kind,
  email,
}: {
  token: string;
  kind: 'verify' | 'change';
  email: string;
}): string {
  const title = t(kind === 'change' ? 'email.confirm.change.title' : 'email.confirm.verify.title');
  return layout({
    title,
    body: html`<h1>${title}</h1>
<p class="lead">${tHtml(kind === 'change' ? 'email.confirm.change.lead' : 'email.confirm.verify.lead', { email })}</p>
<form method="post" action="/email/verify">
<input type="hidden" name="token" value="${token}">
<div class="actions"><button type="submit">${t(kind === 'change' ? 'email.confirm.change.submit' : 'email.confirm.verify.submit')}</button></div>
</form>`,
  });
}

export function emailConfirmedPage({ kind, email }: { kind: 'verify' | 'change'; email: string }): string {
  return layout({
    title: t('email.done.title'),
    body: html`<h1>${t(kind === 'change' ? 'email.done.change.heading' : 'email.done.verify.heading')}</h1>
<p class="lead">${tHtml('email.done.lead', { email })}</p>
<p class="muted"><a href="/account">${t('email.done.open')}</a></p>`,
  });
}

/** `taken`: another account got the address meanwhile, so nothing changed. */
export function emailLinkInvalidPage({ taken = false }: { taken?: boolean } = {}): string {
  return layout({
    title: t('email.invalid.title'),
    body: html`<h1>${t('email.invalid.title')}</h1>
<p class="lead">${t(taken ? 'email.invalid.taken' : 'email.invalid.lead')}</p>
<p class="muted">${tHtml('email.invalid.again', {
      link: (chunks: Array<string | SafeHtml>) => html`<a href="/account">${chunks}</a>`,
    })}</p>`,
  });
}
