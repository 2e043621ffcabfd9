import { loadOnce } from '../../src/kernel/load-once.js';

describe('loadOnce', () => {
  it('loads at the first call and answers every later call from the same load', async () => {
    let loads = 0;
    const load = loadOnce(async () => ({ loaded: (loads += 1) }));
    expect(loads).toBe(0);
    const [first, second] = await Promise.all([load(), load()]);
    expect(first).toBe(second);
    expect(await load()).toBe(first);
    expect(loads).toBe(1);
  });

  it('does not keep a failed load: the call after it tries again', async () => {
    let loads = 0;
    const load = loadOnce(async () => {
      loads += 1;
      if (loads === 1) throw new Error('chunk unreadable for a moment');
      return 'loaded';
    });
    await expect(load()).rejects.toThrow('chunk unreadable for a moment');
    await expect(load()).resolves.toBe('loaded');
    await expect(load()).resolves.toBe('loaded');
    expect(loads).toBe(2);
  });
});
