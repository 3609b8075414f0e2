/** The bounded reliability check `concurrency` (see test/support/reliability-bounded.ts and test/reliability/checks/concurrency.ts). */
import { boundedCheck } from '../support/reliability-bounded.js';

boundedCheck('concurrency');
