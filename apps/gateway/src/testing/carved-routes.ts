/** The route-table entry that carves `GET /v1/balance` out of the legacy app (README, runbook). */
export const CARVE_BALANCE = JSON.stringify([
  {
    prefix: '/v1/balance',
    upstream: 'wallet',
    auth: 'legacy-session',
    method: 'GET',
    rewrite: '/internal/legacy/users/{legacyUserId}/balance',
  },
]);
