// The fuzzer's worker thread entry: TypeScript through tsx, then ./run.ts in worker mode.
import { register } from "tsx/esm/api";
register();
await import("./run.ts");
