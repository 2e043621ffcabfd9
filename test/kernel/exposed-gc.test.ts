import { runInNewContext } from 'node:vm';
import { exposedGc } from '../../src/kernel/exposed-gc.js';

describe('exposedGc', () => {
  it('collects on demand: an object nothing holds is gone after one full collection', () => {
    const gc = exposedGc();
    let target: object | undefined = { held: 'nowhere' };
    const ref = new WeakRef(target);
    target = undefined;
    // A WeakRef's target survives the current turn of the event loop; a synchronous full
    // collection in a later one clears it.
    return new Promise<void>((resolve) => {
      setImmediate(() => {
        gc({ type: 'major', execution: 'sync' });
        expect(ref.deref()).toBeUndefined();
        resolve();
      });
    });
  });

  it('turns --expose-gc off again: contexts made afterwards, like the global, have no gc', () => {
    exposedGc();
    expect(runInNewContext('typeof gc')).toBe('undefined');
    expect((globalThis as { gc?: unknown }).gc).toBeUndefined();
  });
});
