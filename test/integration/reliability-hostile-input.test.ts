/** The bounded reliability check `hostile-input` (see test/support/reliability-bounded.ts and test/reliability/checks/hostile-input.ts). */
import { boundedCheck } from '../support/reliability-bounded.js';

boundedCheck('hostile-input');
