/** The bounded reliability check `crash` (see test/support/reliability-bounded.ts and test/reliability/checks/crash.ts). */
import { boundedCheck } from '../support/reliability-bounded.js';

boundedCheck('crash');
