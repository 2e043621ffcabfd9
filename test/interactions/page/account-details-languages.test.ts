import { startTestServer, type TestServer } from '../../support/test-server.js';
import { gatehouse, gatehouseJson } from '../../support/run-gatehouse.js';
import { BrowserIn } from '../../support/browser-in.js';
import { htmlTag } from '../../support/html-tag.js';
import { walkAuthorization } from '../../support/sign-in-flow.js';

// The details form at /account refuses a value in the page's language, next to its field and
// naming it as the form labels it; the CLI and the management API keep the English message.

let server: TestServer;
let env: Record<string, string>;
const PASSWORD = 'correct horse battery staple';

beforeAll(async () => {
  server = await startTestServer();
  env = { DATABASE_URL: server.database.url };
  for (const email of ['lise@example.com', 'noriko@example.com'])
    await gatehouse(env, 'user', 'add', '--email', email, '--password', PASSWORD);
  await gatehouse(env, 'attribute', 'add', '--name', 'team_size', '--type', 'number', '--self-editable');
  const callSign = ['--name', 'call_sign', '--type', 'string', '--pattern', '[A-Za-z]{2,20}', '--self-editable'];
  await gatehouse(env, 'attribute', 'add', ...callSign, '--description', 'Call sign');
  await gatehouse(env, 'attribute', 'add', '--name', 'employee_id', '--type', 'string');
});

afterAll(() => server.close());

/** A browser set to `language`, signed in to the console as `email`. */
async function consoleIn(language: string, email: string) {
  const agent = new BrowserIn(server.url, language);
  const { callback } = await walkAuthorization(agent, '/account', { email, password: PASSWORD });
  expect(callback).toBeUndefined();
  return agent;
}

const attributesOf = async (email: string) =>
  (await gatehouseJson<{ attributes: Record<string, unknown> }>(env, 'user', 'show', '--email', email)).attributes;

describe('the details form refuses a value in the page’s language', () => {
  it('tells Lise in German that team size takes a number, under the field, and saves her second try', async () => {
    const agent = await consoleIn('de', 'lise@example.com');
    const wrong = await agent.post('/account/attributes', { attr_team_size: 'zwölf', attr_call_sign: 'Lise' });
    expect(wrong.status).toBe(400);
    const page = await wrong.text();
    expect(htmlTag(page)).toBe('<html lang="de" dir="ltr">');
    expect(page).toContain('Ihre Angaben wurden nicht gespeichert: siehe unten.');
    expect(page).toMatch(
      /name="attr_team_size" type="text" value="zwölf" aria-describedby="attr_team_size-error [^"]*" aria-invalid="true">\s*<p class="field-error" id="attr_team_size-error">Team size erwartet eine Zahl\.<\/p>/,
    );
    expect(await attributesOf('lise@example.com')).toEqual({});

    const fixed = await agent.post('/account/attributes', { attr_team_size: '12', attr_call_sign: 'Lise' });
    expect(fixed.status).toBe(303);
    expect(await (await agent.follow(fixed)).text()).toContain('Ihre Angaben wurden gespeichert.');
    expect(await attributesOf('lise@example.com')).toEqual({ team_size: 12, call_sign: 'Lise' });
  });

  it('tells Noriko in Japanese that her call sign is not in the expected form, then saves the fix', async () => {
    const agent = await consoleIn('ja', 'noriko@example.com');
    const wrong = await agent.post('/account/attributes', { attr_team_size: '', attr_call_sign: 'のりこ' });
    expect(wrong.status).toBe(400);
    const page = await wrong.text();
    expect(htmlTag(page)).toBe('<html lang="ja" dir="ltr">');
    expect(page).toContain(
      '<p class="field-error" id="attr_call_sign-error">「のりこ」はCall signの形式に合っていません。</p>',
    );

    const fixed = await agent.post('/account/attributes', { attr_team_size: '', attr_call_sign: 'Noriko' });
    expect(fixed.status).toBe(303);
    expect(await attributesOf('noriko@example.com')).toEqual({ call_sign: 'Noriko' });
  });

  it('refuses a forged post for an attribute only an administrator sets, in German, and keeps the English for the CLI', async () => {
    const agent = await consoleIn('de', 'lise@example.com');
    const forged = await agent.post('/account/attributes', { attr_employee_id: 'E0001' });
    expect(forged.status).toBe(403);
    expect(await forged.text()).toContain('Sie können employee_id nicht ändern: Das kann nur ein Administrator.');
    expect(await attributesOf('lise@example.com')).not.toHaveProperty('employee_id');

    const cli = await gatehouse(env, 'user', 'update', '--email', 'lise@example.com', '--set', 'team_size=zwölf');
    expect(cli.stderr).toContain('attribute team_size: "zwölf" is not a number');
  });
});
