/** A problem the user can fix; its message says what is wrong and what to do. */
export class TunnelError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "TunnelError";
  }
}
