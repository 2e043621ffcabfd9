import { bodyParser } from '@koa/bodyparser';
import type { Context } from 'koa';
import type { GatehouseError } from '../../src/kernel/gatehouse-error.js';
import type { ResourceService } from '../../src/resources/resource-service.js';
import { allowPageScript, pageScript } from '../../src/http/page-scripts.js';
import { answerRefusal } from '../answer-refusal.js';
import { actorOf, noticeOf, seeOther, type AdminFrame } from './admin-section.js';
import { NEW_API, apiFormValuesOf, fieldOfApiRefusal, readApiChanges, readNewApi } from './api-form.js';
import { apiCreatePage, apiListPage, apiPage, apiRemovePage } from './api-pages.js';
import { credentialsPage } from './credentials-page.js';
import type { PostedForm } from './form-fields.js';
import { positionOf, readPosition } from './page-position.js';
import { refusalScreen } from './refusal-screen.js';

export interface ApiRouteDeps {
  readonly resources: ResourceService;
  /** The management API's identifier: built in, only its token lifetime changes. */
  readonly managementApi: string;
}

const PAGE_SIZE = 50;

const NOTICES: Record<string, string> = {
  saved: 'The settings have been saved. Tokens already issued keep theirs until they expire.',
  removed: 'The API has been removed, with its own client and every application’s access to it.',
};

/** The APIs section: list, create (credentials shown once), edit scopes, token format and lifetime, remove. */
export function apiRoutes(frame: AdminFrame, { resources, managementApi }: ApiRouteDeps): void {
  const { router, guard } = frame;
  const form = bodyParser({ enableTypes: ['form'], formLimit: '16kb' });
  const posted = (ctx: Context) => (ctx.request.body ?? {}) as PostedForm;
  // The identifier is a URL: one path segment, percent-encoded.
  const pathOf = (identifier: string) => `/admin/apis/${encodeURIComponent(identifier)}`;
  const refuse = (ctx: Context, error: unknown) => {
    const message = answerRefusal(ctx, error);
    if (message === undefined) throw error;
    frame.render(ctx, refusalScreen('APIs', message, '/admin/apis'));
  };

  router.get('/apis', async (ctx) => {
    const after = readPosition(ctx.query.after);
    const rows = await resources.page(after && { createdAt: after.at, identifier: after.id }, PAGE_SIZE + 1);
    const shown = rows.slice(0, PAGE_SIZE);
    const last = shown.at(-1);
    frame.render(
      ctx,
      apiListPage({
        apis: shown,
        builtIn: managementApi,
        notice: noticeOf(NOTICES, ctx),
        next: rows.length > PAGE_SIZE && last ? `/admin/apis?after=${positionOf(last.createdAt, last.identifier)}` : undefined,
      }),
    );
  });

  router.get('/apis/new', (ctx) => frame.render(ctx, apiCreatePage({ values: NEW_API, errors: {} })));

  router.post('/apis', guard, form, async (ctx) => {
    const parsed = readNewApi(posted(ctx));
    if (!parsed.ok) {
      ctx.status = 400;
      return frame.render(ctx, apiCreatePage({ values: parsed.typed, errors: parsed.errors }));
    }
    try {
      const created = await resources.add(parsed.value, { actor: actorOf(frame, ctx) });
      frame.render(
        ctx,
        credentialsPage({
          title: `${created.identifier} is registered`,
          lead: 'The API authenticates with these at the introspection endpoint (RFC 7662 §2.1).',
          clientId: created.client_id,
          clientSecret: created.client_secret,
          next: pathOf(created.identifier),
        }),
        { scripts: [allowPageScript(ctx, pageScript('copy-credential.js'))] },
      );
    } catch (error) {
      const message = answerRefusal(ctx, error);
      if (message === undefined) throw error;
      frame.render(ctx, apiCreatePage({ values: parsed.typed, errors: { [fieldOfApiRefusal(message)]: message } }));
    }
  });

  router.get('/apis/:identifier', async (ctx) => {
    try {
      const { resource } = await resources.read(ctx.params.identifier as string);
      frame.render(
        ctx,
        apiPage({
          api: resource,
          builtIn: resource.identifier === managementApi,
          values: apiFormValuesOf(resource),
          notice: noticeOf(NOTICES, ctx),
        }),
      );
    } catch (error) {
      refuse(ctx, error);
    }
  });

  router.post('/apis/:identifier', guard, form, async (ctx) => {
    try {
      const { resource, version } = await resources.read(ctx.params.identifier as string);
      const builtIn = resource.identifier === managementApi;
      const parsed = readApiChanges(posted(ctx), resource, builtIn);
      const again = (errors: Record<string, string>) =>
        frame.render(ctx, apiPage({ api: resource, builtIn, values: parsed.typed, errors }));
      if (!parsed.ok) {
        ctx.status = 400;
        return again(parsed.errors);
      }
      try {
        await resources.update(resource.identifier, parsed.value, { actor: actorOf(frame, ctx), ifVersion: version });
      } catch (error) {
        const message = answerRefusal(ctx, error);
        if (message === undefined || (error as GatehouseError).code === 'ERR_RESOURCE_NOT_FOUND') throw error;
        return again({ [fieldOfApiRefusal(message)]: message });
      }
      seeOther(ctx, `${pathOf(resource.identifier)}?done=saved`);
    } catch (error) {
      refuse(ctx, error);
    }
  });

  router.get('/apis/:identifier/remove', async (ctx) => {
    try {
      frame.render(ctx, apiRemovePage((await resources.read(ctx.params.identifier as string)).resource));
    } catch (error) {
      refuse(ctx, error);
    }
  });

  router.post('/apis/:identifier/remove', guard, async (ctx) => {
    try {
      await resources.remove(ctx.params.identifier as string, { actor: actorOf(frame, ctx) });
      seeOther(ctx, '/admin/apis?done=removed');
    } catch (error) {
      refuse(ctx, error);
    }
  });
}
