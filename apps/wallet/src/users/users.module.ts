import { Module } from '@nestjs/common';
import { InternalGuard } from '@paychat/signing';
import { InternalUsersController } from './internal-users.controller';
import { UsersController } from './users.controller';
import { UsersRepository } from './users.repository';

@Module({
  controllers: [UsersController, InternalUsersController],
  providers: [UsersRepository, InternalGuard],
  exports: [UsersRepository],
})
export class UsersModule {}
