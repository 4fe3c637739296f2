type Cleanup = () => Promise<void>;

/**
 * Runs `main`, then whatever it deferred, newest first, however it ends: returning, throwing, or Ctrl-C /
 * SIGTERM. That is what stops the server children and drops the bench database even on failure.
 */
export async function withCleanup(main: (defer: (cleanup: Cleanup) => void) => Promise<void>): Promise<void> {
  const cleanups: Cleanup[] = [];
  let cleaning: Promise<void> | undefined;
  const cleanUp = () =>
    (cleaning ??= (async () => {
      for (const cleanup of cleanups.reverse()) {
        await cleanup().catch((err: unknown) => console.error('cleanup failed:', err));
      }
    })());
  const onSignal = (signal: NodeJS.Signals) => {
    console.error(`\n${signal}: stopping servers and cleaning up…`);
    void cleanUp().finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    await main((cleanup) => cleanups.push(cleanup));
  } finally {
    await cleanUp();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
