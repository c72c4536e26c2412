// The wasmux guest library for AssemblyScript programs. Import from here:
//   import { args, stdout, open, O_RDONLY } from "../lib";
// Every call that can fail returns -errno (see strerror); nothing throws.
export * from "../../abi/constants";
export * from "../../abi/errno";
export * from "./utf8";
export * from "./errors";
export * from "./io";
export * from "./fs";
export * from "./proc";
export * from "./signals";
export * from "./cli";
export * from "./files";
export * from "./abort";
export * from "./sigaction";
export * from "./jobs";
export * from "./killargs";
export * from "./msg";
export * from "./mqueue";
export * from "./snapshot";
