import { ArrayMaxSize, ArrayMinSize, IsArray, IsOptional, IsString, Length, Matches } from 'class-validator';
import { USER_ID } from '@paychat/contracts';

export class UpdateProfileDto {
  @IsOptional()
  @IsString()
  @Length(1, 50)
  displayName?: string;

  @IsOptional()
  @Matches(/^[a-z0-9_]{3,20}$/, { message: 'handle must be 3–20 characters of a-z, 0-9 and _' })
  handle?: string;
}

export class HandleParams {
  @Matches(/^[a-z0-9_]{3,20}$/, { message: 'handle must be 3–20 characters of a-z, 0-9 and _' })
  handle!: string;
}

export class LookupUsersDto {
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @Matches(USER_ID, { each: true, message: 'userIds must be user ids' })
  userIds!: string[];
}

export interface ProfileView {
  userId: string;
  email: string;
  displayName: string;
  handle: string | null;
  kycLevel: string;
  createdAt: string;
}

export interface PublicUserView {
  userId: string;
  displayName: string;
  handle: string | null;
}
