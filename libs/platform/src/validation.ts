import { ValidationError, ValidationPipe } from '@nestjs/common';
import { AppError, FieldError } from '@paychat/errors';

function flatten(errors: ValidationError[], prefix = ''): FieldError[] {
  return errors.flatMap((e) => {
    const field = prefix ? `${prefix}.${e.property}` : e.property;
    const own = Object.entries(e.constraints ?? {}).map(([rule, message]) => ({
      field,
      // class-validator words "property x should not exist" for whitelist violations; say it plainly.
      message: rule === 'whitelistValidation' ? 'unknown field' : message,
    }));
    return [...own, ...flatten(e.children ?? [], field)];
  });
}

/** One rule broken twice (a wire format's pattern and length share their message) is said once. */
const unique = (errors: FieldError[]) =>
  errors.filter((e, i) => errors.findIndex((o) => o.field === e.field && o.message === e.message) === i);

/** Whitelist-only DTOs: an unknown field is a 400 naming it; submitted values are never echoed. */
export function validationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    forbidUnknownValues: true,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) =>
      new AppError('validation_failed', 'Request is invalid', unique(flatten(errors))),
  });
}
