import { Body, Controller, HttpCode, Post, UseGuards } from '@nestjs/common';
import { IsEmail, MaxLength } from 'class-validator';
import { AppError } from '@paychat/errors';
import { InternalCallers, InternalGuard } from '@paychat/signing';
import { LoginDto } from './sessions.dto';
import { SessionsRepository } from './sessions.repository';
import { SessionsService } from './sessions.service';

export class EmailDto {
  @IsEmail()
  @MaxLength(254)
  email!: string;
}

/** Who a legacy user is, for the migration into Cognito; never the password hash. */
export interface LegacyUserView {
  id: number;
  email: string;
  name: string;
}

/**
 * For Cognito's user-migration trigger only (a signed call; never routed by the gateway): checks a
 * legacy user's email and password with bcrypt (user's first login in the new app), or says whether
 * an email belongs to a legacy user (their first password reset).
 */
@UseGuards(InternalGuard)
@InternalCallers('user-migration')
@Controller('internal/users')
export class MigrationController {
  constructor(
    private readonly sessions: SessionsService,
    private readonly users: SessionsRepository,
  ) {}

  @Post('verify')
  @HttpCode(200)
  async verify(@Body() dto: LoginDto): Promise<LegacyUserView> {
    const { id, email, name } = await this.sessions.verify(dto);
    return { id, email, name };
  }

  @Post('lookup')
  @HttpCode(200)
  async lookup(@Body() dto: EmailDto): Promise<LegacyUserView> {
    const user = await this.users.credentialsFor(dto.email);
    if (!user) throw new AppError('not_found', 'No legacy user with this email');
    return { id: user.id, email: user.email, name: user.name };
  }
}
