/** A chart's `nodeSelector` value, left out when there is nothing to select. */
export function nodeSelectorValues(selector: Readonly<Record<string, string>> | undefined): { nodeSelector?: Record<string, string> } {
  return selector && Object.keys(selector).length > 0 ? { nodeSelector: { ...selector } } : {};
}
