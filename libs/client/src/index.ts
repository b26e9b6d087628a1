import { type Client, createClient, createConfig } from './generated/client';

/**
 * The TypeScript client for paychat, generated from openapi/paychat.yaml (`npm run client:generate`;
 * never edit `generated/`). Each operation is a function named by its operationId, typed end to end:
 * `await getWallet({ client: paychat(url, token) })`.
 */
export * from './generated';
export type { Client } from './generated/client';

/** A client for one gateway and, optionally, one user's access token. */
export function paychat(baseUrl: string, accessToken?: string): Client {
  return createClient(createConfig({ baseUrl, ...(accessToken ? { auth: () => accessToken } : {}) }));
}
