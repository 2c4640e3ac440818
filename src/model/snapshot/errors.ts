/** The one error type of the snapshot store: its message is shown to the user as-is. */
export class SnapshotError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SnapshotError';
  }
}
