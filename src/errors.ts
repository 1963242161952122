/** An error the user can fix: printed as one red line and a hint, exit code 1, no stack. */
export class UserError extends Error {
  constructor(
    message: string,
    readonly hint?: string,
  ) {
    super(message);
    this.name = 'UserError';
  }
}
