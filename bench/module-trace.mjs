// `node --import ./bench/module-trace.mjs …`: registers bench/module-trace-hook.mjs (see there).
import { register } from 'node:module';

register('./module-trace-hook.mjs', import.meta.url);
