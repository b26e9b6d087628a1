/** The caller of a `/v1` route, as resolved from its `Authorization: Session <token>` header. */
export interface LegacyCaller {
  id: number;
  email: string;
  name: string;
  /** Which session authenticated this request (what logout ends). */
  tokenHash: string;
}
