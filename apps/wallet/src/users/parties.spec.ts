import { fakeSql } from '../testing/test-service';
import { Parties } from './parties';

describe('Parties (unit)', () => {
  const parties = new Parties();

  it('looks the recipient up by id, with their wallet account and status, as one statement', () => {
    const lookup = parties.lookup('U-BOB');
    expect(lookup.sql).toMatch(
      /^SELECT a\.id AS account_id, u\.status FROM users u JOIN accounts a .* WHERE u\.id = \?$/,
    );
    expect(lookup.params).toEqual(['U-BOB']);
  });

  it('an active recipient is a party with their account id', () => {
    expect(parties.recipientFrom('U-BOB', [{ account_id: 22, status: 'active' }])).toEqual({
      userId: 'U-BOB',
      accountId: '22',
    });
  });

  it('no such user → recipient_not_found', () => {
    expect(() => parties.recipientFrom('U-NOBODY', [])).toThrow(
      expect.objectContaining({ code: 'recipient_not_found' }),
    );
  });

  it('a disabled user → recipient_unavailable', () => {
    expect(() => parties.recipientFrom('U-BOB', [{ account_id: '22', status: 'disabled' }])).toThrow(
      expect.objectContaining({ code: 'recipient_unavailable' }),
    );
  });

  it('recipient runs the lookup on its own round trip', async () => {
    const db = fakeSql();
    db.query.mockResolvedValue([{ account_id: '22', status: 'active' }]);
    await expect(parties.recipient(db.sql, 'U-BOB')).resolves.toEqual({ userId: 'U-BOB', accountId: '22' });
    expect(db.query).toHaveBeenCalledTimes(1);
  });
});
