// The serve process's last resort: an error that escaped every handler (a bug, not a bad request, since
// requests are answered where they arrive) is logged with its stack and the server keeps serving, so one
// fault cannot take the studio away from a user mid-training.
export function keepServingOnUncaughtErrors(log: (text: string) => void): () => void {
  const report = (kind: string) => (error: unknown) => {
    const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
    log(`rnn-studio serve: ${kind} (still serving): ${detail}\n`);
  };
  const onException = report('unexpected error');
  const onRejection = report('unhandled promise rejection');
  process.on('uncaughtException', onException);
  process.on('unhandledRejection', onRejection);
  return () => {
    process.off('uncaughtException', onException);
    process.off('unhandledRejection', onRejection);
  };
}
