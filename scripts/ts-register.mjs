// `node --import ./scripts/ts-register.mjs`: runs the TypeScript sources (./ts-hooks.mjs). Add
// --enable-source-maps for stack traces in the sources' own lines (it costs the suite ~10 %).
import { register } from "node:module";
register("./ts-hooks.mjs", import.meta.url);
