import type { Context } from 'koa';
import type { GatehouseError } from '../../src/kernel/gatehouse-error.js';
import type { ResourceService } from '../../src/resources/resource-service.js';
import { allowPageScript, pageScript } from '../../src/http/page-scripts.js';
import { answerRefusal } from '../answer-refusal.js';
import type { AdminPageModule } from './admin-frame.js';
import { adminPagination, ADMIN_PAGE_SIZE } from './admin-pagination.js';
import { confirmed } from './confirm-form.js';
import { NEW_API, apiFormValuesOf, fieldOfApiRefusal, readApiChanges, readNewApi } from './api-form.js';
import { apiCreatePage, apiListPage, apiPage, apiRemovePage } from './api-pages.js';
import { credentialsPage } from './credentials-page.js';
import type { FieldErrors, PostedForm } from './form-fields.js';
import { refusalScreen } from './refusal-screen.js';

export interface ApisSectionDeps {
  readonly resources: ResourceService;
  /** The management API's identifier: built in, only its token lifetime changes. */
  readonly managementApi: string;
}

const NOTICES: Readonly<Record<string, string>> = {
  saved: 'The settings have been saved. Tokens already issued keep theirs until they expire.',
  removed: 'The API has been removed, with its own client and every application’s access to it.',
};

const posted = (ctx: Context) => (ctx.request.body ?? {}) as PostedForm;
// The identifier is a URL: one path segment, percent-encoded.
const pathOf = (identifier: string) => `/admin/apis/${encodeURIComponent(identifier)}`;
const identifierOf = (ctx: Context) => String(ctx.params.identifier);

/** The APIs section: list, create (credentials shown once), edit scopes, token format and lifetime, remove. */
export const apisSection =
  ({ resources, managementApi }: ApisSectionDeps): AdminPageModule =>
  (router, kit) => {
    const refuse = (ctx: Context, error: unknown) => {
      const message = answerRefusal(ctx, error);
      if (message === undefined) throw error;
      kit.render(ctx, refusalScreen('apis', 'APIs', message, '/admin/apis'));
    };

    router.get('/apis', async (ctx) => {
      const after = adminPagination.after<[string, string]>(ctx.query);
      const start = Array.isArray(after) ? { createdAt: new Date(after[0]), identifier: String(after[1]) } : undefined;
      const rows = await resources.page(
        start && !Number.isNaN(start.createdAt.getTime()) ? start : undefined,
        ADMIN_PAGE_SIZE + 1,
      );
      const { items, next } = adminPagination.page(rows, (r) => [r.createdAt, r.identifier]);
      kit.render(
        ctx,
        apiListPage({
          apis: items,
          builtIn: managementApi,
          notice: kit.noticeOf(ctx, NOTICES),
          pager: adminPagination.links('/admin/apis', {}, next, Boolean(after)),
        }),
      );
    });

    router.get('/apis/new', (ctx) => kit.render(ctx, apiCreatePage({ values: NEW_API, errors: {} })));

    // Created: its own client's credentials are answered on this response, the one time they exist in clear.
    router.post('/apis', async (ctx) => {
      const parsed = readNewApi(posted(ctx));
      if (!parsed.ok) {
        ctx.status = 400;
        return kit.render(ctx, apiCreatePage({ values: parsed.typed, errors: parsed.errors }));
      }
      try {
        const created = await resources.add(parsed.value, { actor: kit.actorOf(ctx) });
        kit.render(ctx, {
          ...credentialsPage({
            section: 'apis',
            title: `${created.identifier} is registered`,
            lead: 'The API authenticates with these at the introspection endpoint (RFC 7662 §2.1).',
            clientId: created.client_id,
            clientSecret: created.client_secret,
            next: pathOf(created.identifier),
          }),
          scripts: [allowPageScript(ctx, pageScript('copy-credential.js'))],
        });
      } catch (error) {
        const message = answerRefusal(ctx, error);
        if (message === undefined) throw error;
        kit.render(ctx, apiCreatePage({ values: parsed.typed, errors: { [fieldOfApiRefusal(message)]: message } }));
      }
    });

    router.get('/apis/:identifier', async (ctx) => {
      try {
        const { resource } = await resources.read(identifierOf(ctx));
        kit.render(
          ctx,
          apiPage({
            api: resource,
            builtIn: resource.identifier === managementApi,
            values: apiFormValuesOf(resource),
            notice: kit.noticeOf(ctx, NOTICES),
          }),
        );
      } catch (error) {
        refuse(ctx, error);
      }
    });

    router.post('/apis/:identifier', async (ctx) => {
      try {
        // The version read here: a change someone made meanwhile is refused (412), not overwritten.
        const { resource, version } = await resources.read(identifierOf(ctx));
        const builtIn = resource.identifier === managementApi;
        const parsed = readApiChanges(posted(ctx), resource, builtIn);
        const again = (errors: FieldErrors) =>
          kit.render(ctx, apiPage({ api: resource, builtIn, values: parsed.typed, errors }));
        if (!parsed.ok) {
          ctx.status = 400;
          return again(parsed.errors);
        }
        try {
          await resources.update(resource.identifier, parsed.value, { actor: kit.actorOf(ctx), ifVersion: version });
        } catch (error) {
          const message = answerRefusal(ctx, error);
          if (message === undefined || (error as GatehouseError).code === 'ERR_RESOURCE_NOT_FOUND') throw error;
          return again({ [fieldOfApiRefusal(message)]: message });
        }
        ctx.status = 303;
        ctx.redirect(kit.done(pathOf(resource.identifier), 'saved'));
      } catch (error) {
        refuse(ctx, error);
      }
    });

    router.get('/apis/:identifier/remove', async (ctx) => {
      try {
        kit.render(ctx, apiRemovePage((await resources.read(identifierOf(ctx))).resource));
      } catch (error) {
        refuse(ctx, error);
      }
    });

    router.post('/apis/:identifier/remove', async (ctx) => {
      try {
        const { resource } = await resources.read(identifierOf(ctx));
        if (!confirmed(ctx.request.body)) {
          ctx.status = 400;
          return kit.render(ctx, apiRemovePage(resource, 'Tick the box that confirms the removal, then remove it.'));
        }
        await resources.remove(resource.identifier, { actor: kit.actorOf(ctx) });
        ctx.status = 303;
        ctx.redirect(kit.done('/admin/apis', 'removed'));
      } catch (error) {
        refuse(ctx, error);
      }
    });
  };
