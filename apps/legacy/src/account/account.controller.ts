import { Controller, Get, UseGuards } from '@nestjs/common';
import type { LegacyCaller } from '../sessions/legacy-caller';
import { LegacySessionGuard } from '../sessions/legacy-session.guard';
import { LegacyUser } from '../sessions/legacy-user.decorator';
import { AccountService } from './account.service';

@Controller('v1')
@UseGuards(LegacySessionGuard)
export class AccountController {
  constructor(private readonly account: AccountService) {}

  @Get('profile')
  profile(@LegacyUser() user: LegacyCaller) {
    return this.account.profile(user);
  }

  @Get('balance')
  balance(@LegacyUser() user: LegacyCaller) {
    return this.account.balance(user);
  }
}
