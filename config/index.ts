export * from "./schema";
export * from "./load";
export * from "./names";
export type { RuleIssue } from "./rules";
export * from "./derived";
export * from "./images";
export * from "./image-sources";
export * from "./network-model";
export * from "./versions";
