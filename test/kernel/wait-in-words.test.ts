import { waitInWords } from '../../src/kernel/wait-in-words.js';

describe('a wait in words', () => {
  it('says seconds under a minute, as many as the Retry-After header', () => {
    expect(waitInWords(1)).toBe('1 second');
    expect(waitInWords(30)).toBe('30 seconds');
    expect(waitInWords(59)).toBe('59 seconds');
  });

  it('says whole minutes from one minute on, rounded up so the person never comes back too early', () => {
    expect(waitInWords(60)).toBe('1 minute');
    expect(waitInWords(61)).toBe('2 minutes');
    expect(waitInWords(120)).toBe('2 minutes');
    expect(waitInWords(900)).toBe('15 minutes');
    expect(waitInWords(3599)).toBe('60 minutes');
  });

  it('says hours from one hour on', () => {
    expect(waitInWords(3600)).toBe('1 hour');
    expect(waitInWords(3601)).toBe('2 hours');
  });

  it('rounds a fraction of a second up and never says less than one second', () => {
    expect(waitInWords(29.2)).toBe('30 seconds');
    expect(waitInWords(0)).toBe('1 second');
    expect(waitInWords(-5)).toBe('1 second');
    expect(waitInWords(Number.NaN)).toBe('1 second');
  });
});
