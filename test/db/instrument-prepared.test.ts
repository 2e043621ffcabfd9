import { instrumentPrepared } from '../../src/db/instrument-prepared.js';
import { observeQueries } from '../../src/db/query-metrics.js';
import { DatabaseUnavailableError } from '../../src/db/database-unavailable.js';

describe('prepared statements instrumented like the model API', () => {
  const observed: [string, boolean][] = [];
  const db = {};
  observeQueries(db, (operation, seconds, failed) => {
    expect(seconds).toBeGreaterThanOrEqual(0);
    observed.push([operation, failed]);
  });
  beforeEach(() => (observed.length = 0));

  const statements = {
    rows: 3,
    async findLive(id: string) {
      return { id, rows: this.rows };
    },
    async upsert() {
      throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    },
    async destroy() {
      throw new Error('no such model');
    },
    // A driver that fails before it hands back a promise (a closed pool throws at once).
    findLiveBy(): Promise<never> {
      throw Object.assign(new Error('Connection terminated'), { code: 'ECONNRESET' });
    },
  };
  const instrumented = instrumentPrepared(db, 'OidcRecord', statements);

  it('answers as the statement does, called on its own object, and times it as Model.method', async () => {
    await expect(instrumented.findLive('abc')).resolves.toEqual({ id: 'abc', rows: 3 });
    expect(instrumented.rows).toBe(3);
    expect(observed).toEqual([['OidcRecord.findLive', false]]);
  });

  it('turns a lost database into the 503 error, and leaves any other error as it is', async () => {
    await expect(instrumented.upsert()).rejects.toBeInstanceOf(DatabaseUnavailableError);
    await expect(instrumented.destroy()).rejects.toThrow('no such model');
    expect(observed).toEqual([
      ['OidcRecord.upsert', true],
      ['OidcRecord.destroy', true],
    ]);
  });

  it('answers a statement that throws before it starts as one that failed: a rejection, timed, the 503 error', async () => {
    const answer = instrumented.findLiveBy();
    expect(observed).toEqual([['OidcRecord.findLiveBy', true]]);
    await expect(answer).rejects.toBeInstanceOf(DatabaseUnavailableError);
  });
});
