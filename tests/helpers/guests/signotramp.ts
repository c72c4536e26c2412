// A program without the signal trampoline export: the kernel refuses
// handlers (nothing could run them), dispositions SIG_IGN/SIG_DFL still work.
import { SIGUSR1, SIG_IGN } from "./imports";
import * as sys from "../../../programs/lib/sys";
import { out } from "./common";

const act = memory.data(16, 8);
store<u32>(act, 5);   // any function index
out("handler", sys.sigaction(SIGUSR1, act, 0));
store<u32>(act, <u32>SIG_IGN);
out("ignore", sys.sigaction(SIGUSR1, act, 0));
out("raise", sys.kill(sys.getpid(), SIGUSR1));
out("alive", 0);
