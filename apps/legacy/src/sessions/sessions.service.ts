import { Injectable } from '@nestjs/common';
import { compare } from 'bcryptjs';
import { AppError } from '@paychat/errors';
import type { LegacyCaller } from './legacy-caller';
import { hashSessionToken, newSessionToken, SESSION_TTL_MS } from './session-token';
import { LoginDto, SessionView } from './sessions.dto';
import { Credentials, SessionsRepository } from './sessions.repository';

/**
 * A cost-10 hash of a random string nobody knows: an unknown email still costs one bcrypt compare,
 * so response time does not reveal which emails have accounts.
 */
const DUMMY_HASH = '$2b$10$LZNWvUm.nX5jUG2BuVQjr.WjtrDxqFV3v43pB/zo5GygCFoquySAG';

@Injectable()
export class SessionsService {
  constructor(private readonly sessions: SessionsRepository) {}

  /** The user whose email and password these are; wrong email and wrong password look the same (401). */
  async verify(dto: LoginDto): Promise<Credentials> {
    const credentials = await this.sessions.credentialsFor(dto.email);
    const matches = await compare(dto.password, credentials?.passwordHash ?? DUMMY_HASH);
    if (!credentials || !matches) throw new AppError('invalid_credentials', 'Email or password is wrong');
    return credentials;
  }

  /** Wrong email and wrong password are the same 401, so login cannot be used to probe accounts. */
  async login(dto: LoginDto): Promise<SessionView> {
    const credentials = await this.verify(dto);
    const token = newSessionToken();
    const expiresAt = new Date(Date.now() + SESSION_TTL_MS);
    await this.sessions.create(hashSessionToken(token), credentials.id, expiresAt);
    return { sessionToken: token, userId: credentials.id, expiresAt: expiresAt.toISOString() };
  }

  async logout(user: LegacyCaller): Promise<void> {
    await this.sessions.delete(user.tokenHash);
  }

  async authenticate(token: string): Promise<LegacyCaller | undefined> {
    return this.sessions.findActive(hashSessionToken(token), new Date());
  }
}
