/** The app's validated config object (also injectable by its own class). */
export const APP_CONFIG = Symbol('APP_CONFIG');
