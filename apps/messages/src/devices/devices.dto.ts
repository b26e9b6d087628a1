import { IsIn } from 'class-validator';
import { WireFormat } from '@paychat/contracts';

export class DeviceDto {
  @IsIn(['ios', 'android'])
  platform!: 'ios' | 'android';

  /** APNs tokens are 64 hex characters, FCM tokens ~150–250 URL-safe ones: bounded generously. */
  @WireFormat(/^[A-Za-z0-9:_.-]+$/, 16, 4096, 'token must be a push token')
  token!: string;
}
