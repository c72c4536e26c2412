// The examples menu: classic IPC programs shipped in programs/, each with
// the source shown beside the terminal. The build (scripts/build.mjs
// buildSandbox) copies each example's source to dist/sandbox/examples/ and
// its program (programs/c/posix/build/NAME.wasm for a NAME.c source)
// to programs/.

export interface Example {
  id: string;
  title: string;
  /** What is typed at the shell. */
  command: string;
  /** The source shown: a file under dist/sandbox/examples/, or none (a shell line). */
  source?: string;
  about: string;
}

export const EXAMPLES: Example[] = [
  {
    id: 'pipeline-sh', title: 'Pipeline (shell)', command: 'seq 1 200000 | grep 7 | wc -l',
    about: 'Three processes, two pipes: watch the pipes fill and the readers and writers take turns.',
  },
  {
    id: 'pipeline-spawn', title: 'Pipeline with posix_spawn (C)', command: 'pipeline-spawn 100000', source: 'pipeline-spawn.c',
    about: 'The same pipeline built by hand with pipe(), posix_spawnp and dup2 file actions.',
  },
  {
    id: 'pipeline-fork', title: 'Pipeline with fork (C)', command: 'pipeline-fork 100000', source: 'pipeline-fork.c',
    about: 'seq | grep | wc with fork, dup2 and exec, as in a textbook.',
  },
  {
    id: 'fifo-server', title: 'FIFO server and clients (C)', command: 'fifo-server 4', source: 'fifo-server.c',
    about: 'A server reads requests from a named FIFO that several clients write to.',
  },
  {
    id: 'sigqueue-pair', title: 'Signal exchange (C)', command: 'sigqueue-pair 5', source: 'sigqueue-pair.c',
    about: 'Two processes exchange values with sigqueue, sigwaitinfo and an SA_SIGINFO handler.',
  },
  {
    id: 'sigchld-reaper', title: 'SIGCHLD reaper (C)', command: 'sigchld-reaper 5', source: 'sigchld-reaper.c',
    about: 'A SIGCHLD handler reaps children with waitpid(WNOHANG) while main waits in sigsuspend.',
  },
  {
    id: 'popen-pipeline', title: 'popen of a pipeline (C)', command: 'popen-pipeline', source: 'popen-pipeline.c',
    about: 'popen() runs a shell pipeline and the program reads its output.',
  },
  {
    id: 'msg-server', title: 'Message queue server (C)', command: 'msg-server 2 & msg-client alice 3 & msg-client bob 3; wait',
    source: 'msg-server.c',
    about: 'A System V message-queue server answers two clients on one queue, each reply typed with its client\'s pid.',
  },
  {
    id: 'msg-client', title: 'Message queue client (C)', command: 'msg-server 2 & msg-client alice 3 & msg-client bob 3; wait',
    source: 'msg-client.c',
    about: 'The client side: msgsnd a request, msgrcv the reply of its own type.',
  },
  {
    id: 'stopped-reader', title: 'A stopped reader (job control)', command: 'seq 1 1000000 | wc -l',
    about: 'Press Ctrl-Z while it runs: the pipe fills and the writer waits; then type fg.',
  },
];
