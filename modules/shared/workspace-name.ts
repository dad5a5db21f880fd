/**
 * The HCP Terraform workspace of a stack, apart from modules/state-backend (which needs the tfe
 * provider) so that the diagram and the other tools name workspaces with the required peers only.
 */

/** `<workspacePrefix>-<stack>`: the workspace a stack's state lives in, with `backend.type: cloud`. */
export function cloudWorkspaceName(backend: { readonly workspacePrefix: string }, stackName: string): string {
  return `${backend.workspacePrefix}-${stackName}`;
}
