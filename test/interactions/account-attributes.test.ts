import { startTestServer, type TestServer } from '../support/test-server.js';
import { gatehouseJson } from '../support/run-gatehouse.js';
import { UserAgent } from '../support/user-agent.js';
import { walkAuthorization } from '../support/sign-in-flow.js';

// The person's own view of the directory at /account: their roles and groups (read-only), and
// the attributes the operator marked self-editable, edited over real HTTP with the console's guard.

let server: TestServer;
let env: Record<string, string>;
const PASSWORD = 'correct horse battery staple';

beforeAll(async () => {
  server = await startTestServer();
  env = { DATABASE_URL: server.database.url };
  const setup = [
    ['user', 'add', '--email', 'hedy@example.com', '--password', PASSWORD],
    ['role', 'add', '--name', 'inventor'],
    ['group', 'add', '--name', 'film'],
    [
      'attribute',
      'add',
      '--name',
      'nickname_at_work',
      '--type',
      'string',
      '--pattern',
      '[A-Za-z ]{2,30}',
      '--self-editable',
    ],
    ['attribute', 'add', '--name', 'team_size', '--type', 'number', '--self-editable', '--description', 'Team size'],
    ['attribute', 'add', '--name', 'employee_id', '--type', 'string'],
    [
      'user',
      'update',
      '--email',
      'hedy@example.com',
      '--add-role',
      'inventor',
      '--add-group',
      'film',
      '--set',
      'employee_id=E1914',
    ],
  ];
  for (const argv of setup) await gatehouseJson(env, ...argv);
});

afterAll(async () => {
  await server.close();
});

async function consoleSignIn() {
  const agent = new UserAgent(server.url);
  await walkAuthorization(agent, '/account', { email: 'hedy@example.com', password: PASSWORD });
  const page = await agent.follow(await agent.get('/account'));
  return { agent, html: await page.text() };
}

const attributes = async () =>
  (await gatehouseJson<{ attributes: Record<string, unknown> }>(env, 'user', 'show', '--email', 'hedy@example.com'))
    .attributes;

describe('roles, groups and details in the account console', () => {
  it('shows the roles and groups read-only, and offers only the self-editable attributes', async () => {
    const { html } = await consoleSignIn();
    expect(html).toMatch(/<th scope="row">Roles<\/th><td>inventor<\/td>/);
    expect(html).toMatch(/<th scope="row">Groups<\/th><td>film<\/td>/);
    expect(html).toContain('name="attr_nickname_at_work"');
    expect(html).toContain('<label for="attr_team_size">Team size</label>');
    expect(html).not.toContain('attr_employee_id');
    expect(html).not.toContain('E1914');
  });

  it('refuses a mistake next to its field, naming the attribute and saving nothing, then saves the fix', async () => {
    const { agent } = await consoleSignIn();
    const wrong = await agent.post('/account/attributes', { attr_nickname_at_work: 'Hedy', attr_team_size: 'twelve' });
    expect(wrong.status).toBe(400);
    const page = await wrong.text();
    expect(page).toContain('Your details were not saved');
    expect(page).toMatch(
      /name="attr_team_size" type="text" value="twelve" aria-describedby="attr_team_size-error attr_team_size-hint" aria-invalid="true">\s*<p class="field-error" id="attr_team_size-error">Team size takes a number\.<\/p>\s*<p class="muted help" id="attr_team_size-hint">A number.<\/p>/,
    );
    // What was typed stays in the form; nothing was stored, not even the valid field.
    expect(page).toContain('value="Hedy"');
    expect(await attributes()).toEqual({ employee_id: 'E1914' });

    const fixed = await agent.post('/account/attributes', { attr_nickname_at_work: 'Hedy', attr_team_size: '12' });
    expect(fixed.status).toBe(303);
    expect(await (await agent.follow(fixed)).text()).toContain('Your details have been saved.');
    expect(await attributes()).toEqual({ employee_id: 'E1914', nickname_at_work: 'Hedy', team_size: 12 });

    // An empty field removes the value.
    expect((await agent.post('/account/attributes', { attr_nickname_at_work: '', attr_team_size: '12' })).status).toBe(
      303,
    );
    expect(await attributes()).toEqual({ employee_id: 'E1914', team_size: 12 });

    const audit = await gatehouseJson<{ events: { type: string; detail: unknown; ip: string | null }[] }>(
      env,
      'audit',
      '--email',
      'hedy@example.com',
    );
    const changed = audit.events.filter((e) => e.type === 'account.attributes.changed');
    expect(changed.map((e) => e.detail)).toEqual([
      { set: [], unset: ['nickname_at_work'] },
      { set: ['nickname_at_work', 'team_size'], unset: [] },
    ]);
    expect(changed[0]?.ip).toBeTruthy();
  });

  it('refuses an attribute the operator did not mark self-editable, and a post without the console session', async () => {
    const { agent } = await consoleSignIn();
    const forged = await agent.post('/account/attributes', { attr_employee_id: 'E0001' });
    expect(forged.status).toBe(403);
    expect(await forged.text()).toContain('You cannot change employee_id: only an administrator can.');
    expect(await attributes()).toMatchObject({ employee_id: 'E1914' });
    const stranger = new UserAgent(server.url);
    expect((await stranger.post('/account/attributes', { attr_team_size: '3' })).status).toBe(401);
  });
});
