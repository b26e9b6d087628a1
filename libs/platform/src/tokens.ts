/** The app's validated config object (also injectable by its own class). */
export const APP_CONFIG = Symbol('APP_CONFIG');

/** The running service's name (`gateway`, `wallet`, …): signed internal calls name it as their target. */
export const SERVICE_NAME = Symbol('SERVICE_NAME');
