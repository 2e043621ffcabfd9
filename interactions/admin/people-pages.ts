import type { Context } from 'koa';
import { z } from 'zod';
import type { AdminContext, AdminPageModule } from './admin-frame.js';
import type { PeopleService } from '../../src/admin-console/people-service.js';
import { GatehouseError } from '../../src/kernel/gatehouse-error.js';
import { readForm } from '../read-form.js';
import { adminPagination, ADMIN_PAGE_SIZE } from './admin-pagination.js';
import { confirmed } from './confirm-form.js';
import { peopleListBody } from './people-list-page.js';
import { personBody, type ProfileTyped } from './person-page.js';

export interface PeopleDeps {
  readonly adminPeople: PeopleService;
}

/** Messages after a change; the query names one by key, never carries text. */
const NOTICES: Record<string, string> = {
  saved: 'The profile has been saved.',
  'session-ended': 'That session has ended.',
  'sessions-ended': 'All their sessions have ended.',
  'app-revoked': 'The app no longer has access, and its tokens are revoked.',
  'mfa-reset': 'Two-step verification has been reset and their sessions ended.',
  disabled: 'The account is disabled: sessions ended and app access revoked.',
  enabled: 'The account can sign in again.',
  deleted: 'The account and its personal data have been deleted.',
};

const profileForm = z.object({
  name: z.string().max(200),
  email: z.string().trim().min(1).max(320),
  email_verified: z.literal('yes').optional(),
  version: z.iso.datetime(),
});
const searchQuery = z.string().trim().max(320).catch('');

/** People: search, the list, a person's page and every change to them (routes under /admin/people). */
export const peoplePages =
  ({ adminPeople }: PeopleDeps): AdminPageModule =>
  (router, kit) => {
    router.get('/people', async (ctx) => {
      const q = searchQuery.parse(ctx.query.q);
      const after = adminPagination.after<{ createdAt: string; id: string }>(ctx.query);
      const rows = await adminPeople.list({ prefix: q || undefined, after, limit: ADMIN_PAGE_SIZE + 1 });
      const { items, next } = adminPagination.page(rows, (r) => ({
        createdAt: r.account.createdAt.toISOString(),
        id: r.account.id,
      }));
      kit.render(ctx, {
        title: 'People',
        section: 'people',
        notice: kit.noticeOf(ctx, NOTICES),
        body: peopleListBody({
          q,
          rows: items,
          pager: adminPagination.links('/admin/people', { q }, next, Boolean(after)),
        }),
      });
    });

    /** The person's page, with a refusal and what was typed when a change was refused. */
    const show = async (ctx: Context, admin: AdminContext, error?: string, typed?: ProfileTyped) => {
      const person = await adminPeople.person(String(ctx.params.id));
      kit.render(ctx, {
        title: person.account.name ?? person.account.email,
        section: 'people',
        notice: error ? undefined : kit.noticeOf(ctx, NOTICES),
        error,
        body: personBody(person, person.account.id === admin.account.id, typed),
      });
    };

    router.get('/people/:id', async (ctx) => {
      try {
        await show(ctx, kit.adminOf(ctx));
      } catch (error) {
        if (error instanceof GatehouseError && error.code === 'ERR_ACCOUNT_NOT_FOUND')
          return ctx.throw(404, 'There is no such person (any more).', { error: 'not_found' });
        throw error;
      }
    });

    const page = (ctx: Context) => `/admin/people/${encodeURIComponent(String(ctx.params.id))}`;
    /** A change to one person: back to their page with its notice, or their page with the refusal. */
    const change = (run: (ctx: Context, admin: AdminContext) => Promise<string>) =>
      kit.action(run, async (ctx, admin, error) => {
        try {
          await show(ctx, admin, error);
        } catch {
          // The person is gone (deleted meanwhile): the list, with the refusal.
          kit.render(ctx, {
            title: 'People',
            section: 'people',
            error,
            body: peopleListBody({
              q: '',
              rows: [],
              pager: adminPagination.links('/admin/people', {}, undefined, false),
            }),
          });
        }
      });
    const mustConfirm = (ctx: Context) => {
      if (!confirmed(ctx.request.body))
        throw new GatehouseError('ERR_CONFIRMATION_MISMATCH', 'Nothing was changed: tick the box to confirm.');
    };

    router.post(
      '/people/:id/profile',
      kit.action(
        async (ctx, admin) => {
          const form = readForm(profileForm, ctx.request.body, 'Enter a name and an email address.');
          await adminPeople.updateProfile(
            String(ctx.params.id),
            { name: form.name, email: form.email, emailVerified: form.email_verified === 'yes' },
            new Date(form.version),
            admin.actor,
          );
          return kit.done(page(ctx), 'saved');
        },
        async (ctx, admin, error) => {
          const body = (ctx.request.body ?? {}) as Record<string, unknown>;
          const text = (v: unknown) => (typeof v === 'string' ? v : undefined);
          await show(ctx, admin, error, {
            name: text(body.name),
            email: text(body.email),
            emailVerified: body.email_verified === 'yes',
          });
        },
      ),
    );

    router.post(
      '/people/:id/sessions/end-all',
      change(async (ctx, admin) => {
        await adminPeople.endAllSessions(String(ctx.params.id), admin.actor);
        return kit.done(page(ctx), 'sessions-ended');
      }),
    );

    router.post(
      '/people/:id/sessions/:uid/end',
      change(async (ctx, admin) => {
        await adminPeople.endSession(String(ctx.params.id), String(ctx.params.uid), admin.actor);
        return kit.done(page(ctx), 'session-ended');
      }),
    );

    router.post(
      '/people/:id/apps/:grantId/revoke',
      change(async (ctx, admin) => {
        await adminPeople.revokeApp(String(ctx.params.id), String(ctx.params.grantId), admin.actor);
        return kit.done(page(ctx), 'app-revoked');
      }),
    );

    router.post(
      '/people/:id/mfa/reset',
      change(async (ctx, admin) => {
        mustConfirm(ctx);
        await adminPeople.resetMfa(String(ctx.params.id), admin.actor);
        return kit.done(page(ctx), 'mfa-reset');
      }),
    );

    router.post(
      '/people/:id/disable',
      change(async (ctx, admin) => {
        mustConfirm(ctx);
        await adminPeople.setDisabled(String(ctx.params.id), true, admin.actor);
        return kit.done(page(ctx), 'disabled');
      }),
    );

    router.post(
      '/people/:id/enable',
      change(async (ctx, admin) => {
        await adminPeople.setDisabled(String(ctx.params.id), false, admin.actor);
        return kit.done(page(ctx), 'enabled');
      }),
    );

    router.post(
      '/people/:id/delete',
      change(async (ctx, admin) => {
        const typed = (ctx.request.body as Record<string, unknown> | undefined)?.confirm;
        await adminPeople.remove(String(ctx.params.id), typeof typed === 'string' ? typed : '', admin.actor);
        return kit.done('/admin/people', 'deleted');
      }),
    );
  };
