import type { Context } from 'koa';
import type { ClientService } from '../../src/clients/client-service.js';
import type { ResourceService } from '../../src/resources/resource-service.js';
import { GatehouseError } from '../../src/kernel/gatehouse-error.js';
import { allowPageScript, pageScript } from '../../src/http/page-scripts.js';
import { answerRefusal } from '../answer-refusal.js';
import type { AdminPageModule } from './admin-frame.js';
import { adminPagination, ADMIN_PAGE_SIZE } from './admin-pagination.js';
import { confirmed } from './confirm-form.js';
import {
  NEW_APPLICATION,
  fieldOfClientRefusal,
  readApplicationChanges,
  readNewApplication,
  type ApplicationFormValues,
} from './application-form.js';
import { applicationCreatePage } from './application-form-page.js';
import {
  applicationListPage,
  applicationPage,
  applicationRemovePage,
  type ApplicationView,
} from './application-pages.js';
import { credentialsPage } from './credentials-page.js';
import { textOf, type FieldErrors, type PostedForm } from './form-fields.js';
import { refusalScreen } from './refusal-screen.js';

export interface ApplicationsSectionDeps {
  readonly clients: ClientService;
  readonly resources: ResourceService;
}

const NOTICES: Readonly<Record<string, string>> = {
  saved: 'The settings have been saved.',
  granted: 'The API access has been granted.',
  'grant-removed': 'The API access has been removed.',
  removed: 'The application has been removed, with every token it held.',
};

const posted = (ctx: Context) => (ctx.request.body ?? {}) as PostedForm;
const pathOf = (clientId: string) => `/admin/applications/${encodeURIComponent(clientId)}`;
const idOf = (ctx: Context) => String(ctx.params.id);

/**
 * The Applications section: list, create (the choices of `gatehouse client add`), edit, API grants,
 * secret rotation and removal. Every change goes through the client service with the administrator
 * as actor, so it is audited as theirs.
 */
export const applicationsSection =
  ({ clients, resources }: ApplicationsSectionDeps): AdminPageModule =>
  (router, kit) => {
    const copyScript = (ctx: Context) => [allowPageScript(ctx, pageScript('copy-credential.js'))];
    const apiChoices = async () =>
      (await resources.list()).map((r) => ({ identifier: r.identifier, scopes: r.scopes }));

    /** A refusal the administrator can act on (no such application: 404) on a page of its own; a fault is rethrown. */
    const refuse = (ctx: Context, error: unknown) => {
      const message = answerRefusal(ctx, error);
      if (message === undefined) throw error;
      kit.render(ctx, refusalScreen('applications', 'Applications', message, '/admin/applications'));
    };

    router.get('/applications', async (ctx) => {
      const after = adminPagination.after<[string, string]>(ctx.query);
      const start = after && Array.isArray(after) ? { createdAt: new Date(after[0]), id: String(after[1]) } : undefined;
      const rows = await clients.page(
        start && !Number.isNaN(start.createdAt.getTime()) ? start : undefined,
        ADMIN_PAGE_SIZE + 1,
      );
      const { items, next } = adminPagination.page(rows, (c) => [c.created_at, c.client_id]);
      kit.render(
        ctx,
        applicationListPage({
          clients: items,
          notice: kit.noticeOf(ctx, NOTICES),
          pager: adminPagination.links('/admin/applications', {}, next, Boolean(after)),
        }),
      );
    });

    const renderCreate = async (ctx: Context, values: ApplicationFormValues, errors: FieldErrors) => {
      kit.render(ctx, applicationCreatePage({ values, errors, apis: (await apiChoices()).map((a) => a.identifier) }));
    };

    router.get('/applications/new', (ctx) => renderCreate(ctx, NEW_APPLICATION, {}));

    // Created: the credentials are answered on this response, the one time they exist in clear.
    router.post('/applications', async (ctx) => {
      const parsed = readNewApplication(posted(ctx));
      if (!parsed.ok) {
        ctx.status = 400;
        return renderCreate(ctx, parsed.typed, parsed.errors);
      }
      try {
        const created = await clients.add(parsed.value, { actor: kit.actorOf(ctx) });
        kit.render(ctx, {
          ...credentialsPage({
            section: 'applications',
            title: `${parsed.value.name} is registered`,
            lead: 'Give these to the application: it signs people in with them.',
            clientId: created.client_id,
            clientSecret: created.client_secret,
            next: pathOf(created.client_id),
          }),
          scripts: copyScript(ctx),
        });
      } catch (error) {
        const message = answerRefusal(ctx, error);
        if (message === undefined) throw error;
        return renderCreate(ctx, parsed.typed, { [fieldOfClientRefusal(message)]: message });
      }
    });

    /** The application's page, with what the last form left (typed values and errors). */
    const renderApplication = async (ctx: Context, extra: Omit<ApplicationView, 'client' | 'apis'> = {}) => {
      const client = await clients.show(idOf(ctx));
      kit.render(ctx, applicationPage({ client, apis: await apiChoices(), ...extra }));
    };

    router.get('/applications/:id', async (ctx) => {
      try {
        await renderApplication(ctx, { notice: kit.noticeOf(ctx, NOTICES) });
      } catch (error) {
        refuse(ctx, error);
      }
    });

    /** A change that failed on the service's side comes back on the form: a missing application is a page of its own. */
    const againOrRefuse = async (ctx: Context, error: unknown, again: (message: string) => Promise<void>) => {
      const message = answerRefusal(ctx, error);
      if (message === undefined || (error as GatehouseError).code === 'ERR_CLIENT_NOT_FOUND') return refuse(ctx, error);
      await again(message);
    };

    router.post('/applications/:id', async (ctx) => {
      const clientId = idOf(ctx);
      let typed: ApplicationFormValues | undefined;
      try {
        // The version read here: a change someone made meanwhile is refused (412), not overwritten.
        const { client, version } = await clients.read(clientId);
        const parsed = readApplicationChanges(posted(ctx), client);
        typed = parsed.typed;
        if (!parsed.ok) {
          ctx.status = 400;
          return await renderApplication(ctx, { values: parsed.typed, errors: parsed.errors });
        }
        await clients.update(clientId, parsed.value, { actor: kit.actorOf(ctx), ifVersion: version });
        ctx.status = 303;
        ctx.redirect(kit.done(pathOf(clientId), 'saved'));
      } catch (error) {
        await againOrRefuse(ctx, error, (message) =>
          renderApplication(ctx, { values: typed, errors: { [fieldOfClientRefusal(message)]: message } }),
        );
      }
    });

    router.post('/applications/:id/grants', async (ctx) => {
      const clientId = idOf(ctx);
      const resource = textOf(posted(ctx), 'resource', 500);
      const scope = textOf(posted(ctx), 'scope');
      const grantTyped = { resource: resource ?? '', scope: scope ?? '' };
      try {
        if (!resource || scope === undefined) {
          ctx.status = 400;
          return await renderApplication(ctx, {
            grantTyped,
            grantErrors: resource
              ? { scope: 'Give the scopes once, separated by spaces.' }
              : { resource: 'Choose an API.' },
          });
        }
        await clients.grant(clientId, resource, scope || undefined, { actor: kit.actorOf(ctx) });
        ctx.status = 303;
        ctx.redirect(kit.done(pathOf(clientId), 'granted'));
      } catch (error) {
        await againOrRefuse(ctx, error, (message) => {
          const field = /has no scope|scope must/.test(message) ? 'scope' : 'form';
          return renderApplication(ctx, { grantTyped, grantErrors: { [field]: message } });
        });
      }
    });

    router.post('/applications/:id/grants/remove', async (ctx) => {
      try {
        const resource = textOf(posted(ctx), 'resource', 500);
        if (!resource) throw new GatehouseError('ERR_FORM_INVALID', 'Say which API’s access to remove.');
        await clients.revokeGrant(idOf(ctx), resource, { actor: kit.actorOf(ctx) });
        ctx.status = 303;
        ctx.redirect(kit.done(pathOf(idOf(ctx)), 'grant-removed'));
      } catch (error) {
        refuse(ctx, error);
      }
    });

    // A new secret, answered on this response only; the old one stops working at once.
    router.post('/applications/:id/secret', async (ctx) => {
      const clientId = idOf(ctx);
      try {
        const { client_secret } = await clients.rotateSecret(clientId, { actor: kit.actorOf(ctx) });
        const { client_name } = await clients.show(clientId);
        kit.render(ctx, {
          ...credentialsPage({
            section: 'applications',
            title: `A new secret for ${client_name}`,
            lead: 'The old secret has stopped working. Give the application this one.',
            clientId,
            clientSecret: client_secret,
            next: pathOf(clientId),
          }),
          scripts: copyScript(ctx),
        });
      } catch (error) {
        refuse(ctx, error);
      }
    });

    router.get('/applications/:id/remove', async (ctx) => {
      try {
        kit.render(ctx, applicationRemovePage(await clients.show(idOf(ctx))));
      } catch (error) {
        refuse(ctx, error);
      }
    });

    router.post('/applications/:id/remove', async (ctx) => {
      try {
        const client = await clients.show(idOf(ctx));
        if (!confirmed(ctx.request.body)) {
          ctx.status = 400;
          return kit.render(
            ctx,
            applicationRemovePage(client, 'Tick the box that confirms the removal, then remove it.'),
          );
        }
        await clients.remove(client.client_id, { actor: kit.actorOf(ctx) });
        ctx.status = 303;
        ctx.redirect(kit.done('/admin/applications', 'removed'));
      } catch (error) {
        refuse(ctx, error);
      }
    });
  };
