/** The CLI's exit codes, apart from cli/errors.ts so that `--help` loads nothing else. */
/** `outposts-eks` exit codes (README, docs/cli.md). deploy, diff and destroy exit with the cdktf CLI's code. */
export const EXIT_CODES = Object.freeze({
  /** Done. */
  ok: 0,
  /** The blueprint (or fleet) is invalid, missing or unreadable: every problem is listed, nothing is written. */
  invalidBlueprint: 1,
  /** A bug in outposts-eks rather than in the blueprint: please report it. */
  internalError: 2,
  /** The command line is wrong: an unknown command or option, a missing argument. */
  usage: 3,
  /** The command cannot run yet: something it reads is missing (a stack's state, a file, an optional peer, the cdktf CLI); the message says what to do. */
  cannotRun: 4,
});

/**
 * An error a command raises on purpose, whose message tells the user what to do: printed as
 * `outposts-eks <command>: <message>` with `exitCode` (default: cannot run yet). Any other error is
 * an internal error (exit 2, please report), so a bug never passes for a user's mistake.
 */
export class CommandError extends Error {
  constructor(
    message: string,
    /** @default EXIT_CODES.cannotRun */
    readonly exitCode: number = EXIT_CODES.cannotRun,
  ) {
    super(message);
    this.name = "CommandError";
  }
}

/** A JSON file the user named (an --outputs file, a state file), parsed; a file that is not JSON is a CommandError naming it. */
export function parseJsonFile(text: string, file: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new CommandError(`${file} is not JSON (${(error as Error).message}): give the file \`terraform output -json\` writes, or a state file`);
  }
}
