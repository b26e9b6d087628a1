import { jstPeriods } from './kyc-limits';

describe('JST periods (limits reset at midnight in Japan, not UTC)', () => {
  it('puts 23:59:59 JST on the same day and 00:00 JST on the next', () => {
    expect(jstPeriods(new Date('2026-11-23T14:59:59.999Z')).dayStart.toISOString()).toBe(
      '2026-11-22T15:00:00.000Z',
    );
    expect(jstPeriods(new Date('2026-11-23T15:00:00.000Z')).dayStart.toISOString()).toBe(
      '2026-11-23T15:00:00.000Z',
    );
  });

  it('starts the month at 00:00 JST on the 1st, across a year end', () => {
    expect(jstPeriods(new Date('2026-12-31T15:00:00.000Z')).monthStart.toISOString()).toBe(
      '2026-12-31T15:00:00.000Z',
    );
    expect(jstPeriods(new Date('2026-12-31T14:59:59.000Z')).monthStart.toISOString()).toBe(
      '2026-11-30T15:00:00.000Z',
    );
  });
});
