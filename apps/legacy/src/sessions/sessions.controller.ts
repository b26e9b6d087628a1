import { Body, Controller, HttpCode, Post, UseGuards } from '@nestjs/common';
import { LegacySessionGuard } from './legacy-session.guard';
import type { LegacyCaller } from './legacy-caller';
import { LegacyUser } from './legacy-user.decorator';
import { LoginDto } from './sessions.dto';
import { SessionsService } from './sessions.service';

@Controller('v1')
export class SessionsController {
  constructor(private readonly sessions: SessionsService) {}

  @Post('login')
  @HttpCode(200)
  login(@Body() dto: LoginDto) {
    return this.sessions.login(dto);
  }

  @Post('logout')
  @HttpCode(204)
  @UseGuards(LegacySessionGuard)
  async logout(@LegacyUser() user: LegacyCaller) {
    await this.sessions.logout(user);
  }
}
