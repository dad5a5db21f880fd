import { Testing } from "cdktf";
import { fixCdktfHclRendering } from "../modules/shared/hcl-fix";

Testing.setupJest();

// The HCL renderer fix, as every app applies it (a no-op where the patch is already on disk).
fixCdktfHclRendering();
