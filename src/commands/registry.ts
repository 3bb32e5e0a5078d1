import { checkCommand } from './check/index';
import { COMPLETION_COMMANDS } from './completion/index';
import { emergencyCommand } from './emergency/index';
import { fixCommand } from './fix/index';
import { reportCommand } from './report/index';
import { rollbackCommand } from './rollback/index';
import { statusCommand } from './status/index';
import type { CommandSpec } from './types';
import { verifyCommand } from './verify/index';
import { whyCommand } from './why/index';

/** Every subcommand, registered in one list. */
export const COMMANDS = [statusCommand, whyCommand, fixCommand, rollbackCommand, emergencyCommand, checkCommand, verifyCommand, reportCommand, ...COMPLETION_COMMANDS] as unknown as CommandSpec<never, unknown>[];
