// The generated fetch client names the DOM's BodyInit; on Node it is fetch's own body type.
type BodyInit = NonNullable<RequestInit['body']>;
