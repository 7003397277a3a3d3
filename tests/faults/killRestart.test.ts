import { describe } from 'vitest';
import { tempDir } from '../helpers/startTestServer';
import { killRounds } from './killRounds';

describe('kill -9 at random moments while two therapists type (SQLite)', () => killRounds(async () => ({ dataDir: tempDir() })));
