import { rmSync } from "fs";

export default function globalTeardown(): void {
  const cache = process.env.OUTPOSTS_EKS_SYNTH_CACHE;
  if (cache) rmSync(cache, { recursive: true, force: true });
}
