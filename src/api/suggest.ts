/** "Did you mean …?" for the command line, without loading the rest of the library. */
export { closest, didYouMean } from "../core/suggest.js";
