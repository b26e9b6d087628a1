import { Module } from '@nestjs/common';
import { UsersController } from './users.controller';
import { UsersRepository } from './users.repository';

@Module({ controllers: [UsersController], providers: [UsersRepository] })
export class UsersModule {}
