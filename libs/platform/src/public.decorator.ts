import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC = 'paychat:public';

/** Marks a route that needs no bearer token (health, sign-in, the legacy proxy). Everything else does. */
export const Public = () => SetMetadata(IS_PUBLIC, true);
