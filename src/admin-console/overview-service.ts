import type { ConsoleQueries } from './console-queries.js';
import { ACTIVITY_WINDOW_MS, signInActivity, type ActivityBucket } from './sign-in-activity.js';
import type { Clock } from '../kernel/clock.js';

export interface Overview {
  readonly people: number;
  readonly sessions: number;
  readonly applications: number;
  readonly apis: number;
  /** People with a second factor (an authenticator app or a passkey), and their share. */
  readonly withSecondFactor: number;
  readonly adoption: number;
  readonly activity: { readonly day: readonly ActivityBucket[]; readonly week: readonly ActivityBucket[] };
  readonly securityEvents: Awaited<ReturnType<ConsoleQueries['securityEvents']>>;
}

export interface OverviewDeps {
  readonly queries: ConsoleQueries;
  /** How many applications and APIs there are (the client and resource services). */
  readonly countApplications: () => Promise<number>;
  readonly countApis: () => Promise<number>;
  readonly clock: Clock;
}

/** The admin console's Overview: counts, sign-in activity, second-step adoption and recent security events. */
export function createOverviewService({ queries, countApplications, countApis, clock }: OverviewDeps) {
  return {
    async read(): Promise<Overview> {
      const now = clock();
      const [people, sessions, applications, apis, withFactor, rows, securityEvents] = await Promise.all([
        queries.countPeople(),
        queries.countLiveSessions(new Date(now)),
        countApplications(),
        countApis(),
        queries.accountsWithSecondFactor(),
        queries.signIns(new Date(now - ACTIVITY_WINDOW_MS)),
        queries.securityEvents(10),
      ]);
      return {
        people,
        sessions,
        applications,
        apis,
        withSecondFactor: withFactor.size,
        adoption: people === 0 ? 0 : withFactor.size / people,
        activity: signInActivity(rows, now),
        securityEvents,
      };
    },
  };
}

export type OverviewService = ReturnType<typeof createOverviewService>;
