/**
 * The flow-line reader of the streamed `flow --flows` (for the CLI; not part of the library API,
 * which reads flows with `parseFlow`): the common IPv4 line read from its bytes, the packet
 * `parseFlow` gives for its text (see ../model/flow-fast.ts).
 */
export { flowPacket, readFlowLine } from "../model/flow-fast.js";
