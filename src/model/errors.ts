/** Errors of the model layer whose message is meant for the user as-is. */
export class ModelError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ModelError';
  }
}
