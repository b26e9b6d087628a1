import { Module } from '@nestjs/common';
import { InternalGuard } from '@paychat/signing';
import { InternalUsersController } from './internal-users.controller';
import { Parties } from './parties';
import { UsersController } from './users.controller';
import { UsersRepository } from './users.repository';

@Module({
  controllers: [UsersController, InternalUsersController],
  providers: [UsersRepository, Parties, InternalGuard],
  exports: [UsersRepository, Parties],
})
export class UsersModule {}
