/** The bounded reliability check `secrets` (see test/support/reliability-bounded.ts and test/reliability/checks/secrets.ts). */
import { boundedCheck } from '../support/reliability-bounded.js';

boundedCheck('secrets');
