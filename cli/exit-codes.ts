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
