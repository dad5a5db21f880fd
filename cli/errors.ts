/**
 * The CLI's exit codes and how an error maps to one. main.ts (the app cdktf runs) uses the same.
 */
import { BlueprintConfigError, unreadableFileMessage } from "../config";
import { MissingPeerError } from "../modules/shared/optional-peers";
import { CommandError, EXIT_CODES } from "./exit-codes";

export { CommandError, EXIT_CODES };

/** What to print, and the exit code, for an error a command threw. `file` is the blueprint, for the bug report. */
export function describeError(error: unknown, command: string, file: string): { message: string; exitCode: number } {
  if (error instanceof BlueprintConfigError) return { message: error.message, exitCode: EXIT_CODES.invalidBlueprint };
  const errno = error as NodeJS.ErrnoException;
  if (errno instanceof Error && typeof errno.code === "string" && typeof errno.path === "string") {
    return { message: `outposts-eks ${command}: ${unreadableFileMessage(errno, errno.path, "the file")}`, exitCode: EXIT_CODES.cannotRun };
  }
  // The commands' own messages (CommandError) and a missing optional peer say what to do; any other
  // error, a plain Error or a TypeError alike, is a bug in outposts-eks.
  if (error instanceof CommandError) return { message: `outposts-eks ${command}: ${error.message}`, exitCode: error.exitCode };
  if (error instanceof MissingPeerError) return { message: `outposts-eks ${command}: ${error.message}`, exitCode: EXIT_CODES.cannotRun };
  return { message: internalErrorMessage(error, file), exitCode: EXIT_CODES.internalError };
}

export function internalErrorMessage(error: unknown, file: string): string {
  const what = error instanceof Error ? `${error.name}: ${error.message.split("\n")[0]}` : String(error);
  const trace = process.env.OUTPOSTS_EKS_DEBUG === "1" && error instanceof Error ? `\n${error.stack}` : "";
  return (
    `outposts-eks: internal error, a bug in outposts-eks rather than in your blueprint (${what}). ` +
    `Please report it with the blueprint file (${file}) and this line; OUTPOSTS_EKS_DEBUG=1 prints the stack trace.${trace}`
  );
}
