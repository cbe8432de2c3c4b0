/**
 * A problem with a lab that its author must fix. The message names the file or folder at fault,
 * because whoever adds a lesson should never have to read a stack trace to find a typo.
 */
export class SandboxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SandboxError';
  }
}
