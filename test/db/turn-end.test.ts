import { createTurnEnd } from '../../src/db/turn-end.js';

// The PostgreSQL prepared statements wait for the end of the turn they were asked in
// (src/db/turn-end.ts), so that turn's requests go on together.

describe('the end of a turn of the event loop', () => {
  test('is one moment for every caller in the turn, after its code and promise callbacks have run', async () => {
    const turnEnd = createTurnEnd();
    const order: string[] = [];

    const first = turnEnd().then(() => order.push('first caller released'));
    const second = turnEnd().then(() => order.push('second caller released'));
    await Promise.resolve();
    order.push('the turn goes on');
    await Promise.all([first, second]);

    expect(order).toEqual(['the turn goes on', 'first caller released', 'second caller released']);
  });

  test('comes again in the next turn for a caller who asks then', async () => {
    const turnEnd = createTurnEnd();
    const thisTurn = turnEnd();
    await thisTurn;

    const nextTurn = turnEnd();

    expect(nextTurn).not.toBe(thisTurn);
    await expect(nextTurn).resolves.toBeUndefined();
  });
});
