import { jest } from '@jest/globals';

/**
 * Freezes the wall clock (Date only) for code under test, including the in-process server:
 * timers, promises and I/O run for real, so databases and HTTP keep working.
 */
export function freezeDate(at = Date.now()) {
  jest.useFakeTimers({
    doNotFake: [
      'nextTick',
      'setImmediate',
      'clearImmediate',
      'setInterval',
      'clearInterval',
      'setTimeout',
      'clearTimeout',
      'queueMicrotask',
      'hrtime',
      'performance',
      'requestAnimationFrame',
      'cancelAnimationFrame',
      'requestIdleCallback',
      'cancelIdleCallback',
    ],
    now: at,
  });
  return {
    advance(ms: number) {
      jest.setSystemTime(Date.now() + ms);
    },
    restore() {
      jest.useRealTimers();
    },
  };
}
