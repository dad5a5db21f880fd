/**
 * The CLI's exit codes and how an error maps to one. main.ts (the app cdktf runs) uses the same.
 */
import { BlueprintConfigError, unreadableFileMessage } from "../config";
import { MissingPeerError } from "../modules/shared/optional-peers";
import { EXIT_CODES } from "./exit-codes";

export { EXIT_CODES };

/** An error a command raises on purpose, whose message tells the user what to do (exit code 4). */
function isCommandError(error: unknown): error is Error {
  if (error instanceof MissingPeerError || error instanceof SyntaxError) return true;
  return error instanceof Error && Object.getPrototypeOf(error) === Error.prototype;
}

/** What to print, and the exit code, for an error a command threw. `file` is the blueprint, for the bug report. */
export function describeError(error: unknown, command: string, file: string): { message: string; exitCode: number } {
  if (error instanceof BlueprintConfigError) return { message: error.message, exitCode: EXIT_CODES.invalidBlueprint };
  const errno = error as NodeJS.ErrnoException;
  if (errno instanceof Error && typeof errno.code === "string" && typeof errno.path === "string") {
    return { message: `outposts-eks ${command}: ${unreadableFileMessage(errno, errno.path, "the file")}`, exitCode: EXIT_CODES.cannotRun };
  }
  if (isCommandError(error)) return { message: `outposts-eks ${command}: ${error.message}`, exitCode: EXIT_CODES.cannotRun };
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
