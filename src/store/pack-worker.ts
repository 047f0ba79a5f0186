/** The text packer's thread (pack-thread.ts). */
import { serveTasks } from '../io/task-thread.js';
import { packTexts } from './pack-thread.js';

serveTasks(packTexts);
