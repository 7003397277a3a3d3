import { describeWith, freshPostgresSchema, Postgres } from '../helpers/services';
import { tempDir } from '../helpers/startTestServer';
import { killRounds } from './killRounds';

describeWith([Postgres], 'kill -9 at random moments while two therapists type (PostgreSQL)', () =>
  killRounds(async () => ({ dataDir: tempDir(), databaseUrl: (await freshPostgresSchema()).url })),
);
