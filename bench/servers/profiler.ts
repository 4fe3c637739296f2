import { writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';

/**
 * CPU profiling of a server child on the bench's command, so a profile covers the load alone, not the
 * start-up (tsx compiling, PGlite loading) that `node --cpu-prof` would also record.
 */
export type ProfileCommand = { profile: 'start' } | { profile: 'stop'; file: string };

export const isProfileCommand = (m: unknown): m is ProfileCommand => typeof m === 'object' && m !== null && 'profile' in m;

let session: Session | undefined;

export async function runProfileCommand(command: ProfileCommand): Promise<void> {
  if (command.profile === 'start') {
    session = new Session();
    session.connect();
    await session.post('Profiler.enable');
    await session.post('Profiler.start');
    return;
  }
  if (!session) throw new Error('No profile was started.');
  const { profile } = await session.post('Profiler.stop');
  session.disconnect();
  session = undefined;
  await writeFile(command.file, JSON.stringify(profile));
}
