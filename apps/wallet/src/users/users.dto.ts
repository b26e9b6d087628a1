import { ArrayMaxSize, ArrayMinSize, IsArray, IsOptional, IsString, Length } from 'class-validator';
import { IsUlid, WireFormat } from '@paychat/contracts';

const IsHandle = () => WireFormat(/^[a-z0-9_]+$/, 3, 20, 'handle must be 3–20 characters of a-z, 0-9 and _');

export class UpdateProfileDto {
  @IsOptional()
  @IsString()
  @Length(1, 50)
  displayName?: string;

  @IsOptional()
  @IsHandle()
  handle?: string;
}

export class HandleParams {
  @IsHandle()
  handle!: string;
}

export class LookupUsersDto {
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @IsUlid('userIds must be user ids', true)
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
