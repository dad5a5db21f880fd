export * from "./common";
export * from "./extended";
export * from "./local";
