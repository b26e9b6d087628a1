import { Length, Matches } from 'class-validator';
import { CONVERSATION_ID, USER_ID } from './conversation-ids';

/**
 * The shared wire formats as validation rules: a pattern together with the lengths it allows, so
 * what the code checks and what openapi/paychat.yaml states (pattern + minLength/maxLength) match
 * field for field (scripts/openapi checks it).
 */
export function WireFormat(
  pattern: RegExp,
  min: number,
  max: number,
  message: string,
  each = false,
): PropertyDecorator {
  return (target, key) => {
    Matches(pattern, { message, each })(target, key);
    Length(min, max, { message, each })(target, key);
  };
}

/** Users, transfers, requests, merchants, bank accounts: ULIDs. */
export const IsUlid = (message: string, each = false) => WireFormat(USER_ID, 26, 26, message, each);
export const IsConversationId = () => WireFormat(CONVERSATION_ID, 28, 55, 'id is not a conversation id');
/** Opaque page cursors (base64url JSON), from a previous page's nextCursor. */
export const IsCursor = () => WireFormat(/^[A-Za-z0-9_-]+$/, 1, 512, 'cursor is not valid');
