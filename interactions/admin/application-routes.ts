import { bodyParser } from '@koa/bodyparser';
import type { Context } from 'koa';
import type { ClientService } from '../../src/clients/client-service.js';
import type { ResourceService } from '../../src/resources/resource-service.js';
import { GatehouseError } from '../../src/kernel/gatehouse-error.js';
import { allowPageScript, pageScript } from '../../src/http/page-scripts.js';
import { answerRefusal } from '../answer-refusal.js';
import { actorOf, noticeOf, seeOther, type AdminFrame } from './admin-section.js';
import {
  NEW_APPLICATION,
  fieldOfClientRefusal,
  readApplicationChanges,
  readNewApplication,
  type ApplicationFormValues,
} from './application-form.js';
import { applicationCreatePage } from './application-form-page.js';
import { applicationListPage, applicationPage, applicationRemovePage } from './application-pages.js';
import { credentialsPage } from './credentials-page.js';
import { textOf, type FieldErrors, type PostedForm } from './form-fields.js';
import { positionOf, readPosition } from './page-position.js';
import { refusalScreen } from './refusal-screen.js';

export interface ApplicationRouteDeps {
  readonly clients: ClientService;
  readonly resources: ResourceService;
}

const PAGE_SIZE = 50;

const NOTICES: Record<string, string> = {
  saved: 'The settings have been saved.',
  granted: 'The API access has been granted.',
  'grant-removed': 'The API access has been removed.',
  removed: 'The application has been removed, with every token it held.',
};

/** The Applications section: list, create, edit, API grants, secret rotation and removal. */
export function applicationRoutes(frame: AdminFrame, { clients, resources }: ApplicationRouteDeps): void {
  const { router, guard } = frame;
  const form = bodyParser({ enableTypes: ['form'], formLimit: '64kb' });
  const posted = (ctx: Context) => (ctx.request.body ?? {}) as PostedForm;
  const pathOf = (clientId: string) => `/admin/applications/${encodeURIComponent(clientId)}`;
  const copyScript = (ctx: Context) => [allowPageScript(ctx, pageScript('copy-credential.js'))];

  /** Shows a refusal the administrator can act on (a missing application: 404), or rethrows a fault. */
  const refuse = (ctx: Context, error: unknown) => {
    const message = answerRefusal(ctx, error);
    if (message === undefined) throw error;
    frame.render(ctx, refusalScreen('Applications', message, '/admin/applications'));
  };

  const apiChoices = async () =>
    (await resources.list()).map((r) => ({ identifier: r.identifier, scopes: r.scopes }));

  router.get('/applications', async (ctx) => {
    const after = readPosition(ctx.query.after);
    const rows = await clients.page(after && { createdAt: after.at, id: after.id }, PAGE_SIZE + 1);
    const shown = rows.slice(0, PAGE_SIZE);
    const last = shown.at(-1);
    frame.render(
      ctx,
      applicationListPage({
        clients: shown,
        notice: noticeOf(NOTICES, ctx),
        next:
          rows.length > PAGE_SIZE && last?.created_at
            ? `/admin/applications?after=${positionOf(last.created_at, last.client_id)}`
            : undefined,
      }),
    );
  });

  const renderCreate = async (ctx: Context, values: ApplicationFormValues, errors: FieldErrors) => {
    frame.render(ctx, applicationCreatePage({ values, errors, apis: (await apiChoices()).map((a) => a.identifier) }));
  };

  router.get('/applications/new', (ctx) => renderCreate(ctx, NEW_APPLICATION, {}));

  router.post('/applications', guard, form, async (ctx) => {
    const parsed = readNewApplication(posted(ctx));
    if (!parsed.ok) {
      ctx.status = 400;
      return renderCreate(ctx, parsed.typed, parsed.errors);
    }
    try {
      const created = await clients.add(parsed.value, { actor: actorOf(frame, ctx) });
      frame.render(
        ctx,
        credentialsPage({
          title: `${parsed.value.name} is registered`,
          lead: 'Give these to the application. It signs people in with them.',
          clientId: created.client_id,
          clientSecret: created.client_secret,
          next: pathOf(created.client_id),
        }),
        { scripts: copyScript(ctx) },
      );
    } catch (error) {
      const message = answerRefusal(ctx, error);
      if (message === undefined) throw error;
      return renderCreate(ctx, parsed.typed, { [fieldOfClientRefusal(message)]: message });
    }
  });

  /** The application's page, with whatever the last form left (typed values and errors). */
  const renderApplication = async (
    ctx: Context,
    clientId: string,
    extra: Omit<Parameters<typeof applicationPage>[0], 'client' | 'apis'> = {},
  ) => {
    const client = await clients.show(clientId);
    frame.render(ctx, applicationPage({ client, apis: await apiChoices(), ...extra }));
  };

  router.get('/applications/:id', async (ctx) => {
    try {
      await renderApplication(ctx, ctx.params.id as string, { notice: noticeOf(NOTICES, ctx) });
    } catch (error) {
      refuse(ctx, error);
    }
  });

  router.post('/applications/:id', guard, form, async (ctx) => {
    const clientId = ctx.params.id as string;
    try {
      const { client, version } = await clients.read(clientId);
      const parsed = readApplicationChanges(posted(ctx), client);
      if (!parsed.ok) {
        ctx.status = 400;
        return await renderApplication(ctx, clientId, { values: parsed.typed, errors: parsed.errors });
      }
      try {
        // The version read above: a change someone made meanwhile is not silently overwritten.
        await clients.update(clientId, parsed.value, { actor: actorOf(frame, ctx), ifVersion: version });
      } catch (error) {
        const message = answerRefusal(ctx, error);
        if (message === undefined || (error as GatehouseError).code === 'ERR_CLIENT_NOT_FOUND') throw error;
        return await renderApplication(ctx, clientId, {
          values: parsed.typed,
          errors: { [fieldOfClientRefusal(message)]: message },
        });
      }
      seeOther(ctx, `${pathOf(clientId)}?done=saved`);
    } catch (error) {
      refuse(ctx, error);
    }
  });

  router.post('/applications/:id/grants', guard, form, async (ctx) => {
    const clientId = ctx.params.id as string;
    const resource = textOf(posted(ctx), 'resource', 500);
    const scope = textOf(posted(ctx), 'scope');
    const typed = { resource: resource ?? '', scope: scope ?? '' };
    try {
      if (!resource || scope === undefined) {
        ctx.status = 400;
        return await renderApplication(ctx, clientId, {
          grantTyped: typed,
          grantErrors: resource ? { scope: 'Give the scopes once, separated by spaces.' } : { resource: 'Choose an API.' },
        });
      }
      try {
        await clients.grant(clientId, resource, scope || undefined, { actor: actorOf(frame, ctx) });
      } catch (error) {
        const message = answerRefusal(ctx, error);
        if (message === undefined || (error as GatehouseError).code === 'ERR_CLIENT_NOT_FOUND') throw error;
        const field = message.includes('has no scope') || message.includes('scope must') ? 'scope' : 'form';
        return await renderApplication(ctx, clientId, { grantTyped: typed, grantErrors: { [field]: message } });
      }
      seeOther(ctx, `${pathOf(clientId)}?done=granted`);
    } catch (error) {
      refuse(ctx, error);
    }
  });

  router.post('/applications/:id/grants/remove', guard, form, async (ctx) => {
    const clientId = ctx.params.id as string;
    try {
      const resource = textOf(posted(ctx), 'resource', 500);
      if (!resource) throw new GatehouseError('ERR_FORM_INVALID', 'Say which API’s access to remove.');
      await clients.revokeGrant(clientId, resource, { actor: actorOf(frame, ctx) });
      seeOther(ctx, `${pathOf(clientId)}?done=grant-removed`);
    } catch (error) {
      refuse(ctx, error);
    }
  });

  router.post('/applications/:id/secret', guard, async (ctx) => {
    const clientId = ctx.params.id as string;
    try {
      const { client_secret } = await clients.rotateSecret(clientId, { actor: actorOf(frame, ctx) });
      const { client_name } = await clients.show(clientId);
      frame.render(
        ctx,
        credentialsPage({
          title: `A new secret for ${client_name}`,
          lead: 'The old secret has stopped working. Give the application this one.',
          clientId,
          clientSecret: client_secret,
          next: pathOf(clientId),
        }),
        { scripts: copyScript(ctx) },
      );
    } catch (error) {
      refuse(ctx, error);
    }
  });

  router.get('/applications/:id/remove', async (ctx) => {
    try {
      frame.render(ctx, applicationRemovePage(await clients.show(ctx.params.id as string)));
    } catch (error) {
      refuse(ctx, error);
    }
  });

  router.post('/applications/:id/remove', guard, async (ctx) => {
    try {
      await clients.remove(ctx.params.id as string, { actor: actorOf(frame, ctx) });
      seeOther(ctx, '/admin/applications?done=removed');
    } catch (error) {
      refuse(ctx, error);
    }
  });
}
