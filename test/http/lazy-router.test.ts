import Router from '@koa/router';
import { lazyRouter } from '../../src/http/lazy-router.js';

describe('lazyRouter', () => {
  it('makes nothing until asked, then answers every later call with the router it made', async () => {
    let made = 0;
    const lazy = lazyRouter('/admin/api/v1', async () => {
      made += 1;
      return new Router({ prefix: '/admin/api/v1' });
    });
    expect(made).toBe(0);
    const [first, second] = await Promise.all([lazy.load(), lazy.load()]);
    expect(await lazy.load()).toBe(first);
    expect(second).toBe(first);
    expect(made).toBe(1);
  });

  it('does not keep a failed making: the next call tries again', async () => {
    let attempts = 0;
    const lazy = lazyRouter('/admin/api/v1', async () => {
      attempts += 1;
      if (attempts === 1) throw new Error('chunk not readable');
      return new Router({ prefix: '/admin/api/v1' });
    });
    await expect(lazy.load()).rejects.toThrow('chunk not readable');
    await expect(lazy.load()).resolves.toBeInstanceOf(Router);
    expect(attempts).toBe(2);
  });
});
