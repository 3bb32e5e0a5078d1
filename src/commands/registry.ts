import { statusCommand } from './status/index';
import type { CommandSpec } from './types';

/** Every subcommand, registered in one list. */
export const COMMANDS: CommandSpec<never>[] = [statusCommand as CommandSpec<never>];
