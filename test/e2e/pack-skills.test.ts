/** The pack on the `skills` target in the real Claude Code: see test/e2e/lib/pack-suite.ts for what each test proves. */
import { definePackSuite } from './lib/pack-suite.ts';

definePackSuite('skills');
