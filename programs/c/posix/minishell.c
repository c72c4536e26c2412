/* minishell: the textbook mini shell, with fork, exec, wait, pipes and
 * redirections. Reads command lines from stdin (a prompt "$ " when stdin
 * is a terminal): words separated by blanks, `|` between commands,
 * `< file`, `> file`, `>> file`; built-ins `cd [dir]` and `exit [n]`.
 * After each line whose last command fails it prints "[status N]".
 * Needs fork and exec. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAXW 64
#define MAXC 16

struct cmd { char *argv[MAXW]; int argc; char *in, *out; int append; };

/* Splits a line into commands; returns how many, or -1 (a message printed). */
static int parse(char *line, struct cmd *cmds) {
  int n = 0;
  memset(&cmds[0], 0, sizeof cmds[0]);
  char *save, *w = strtok_r(line, " \t\n", &save);
  while (w) {
    struct cmd *c = &cmds[n];
    if (!strcmp(w, "|")) {
      if (c->argc == 0 || n + 1 >= MAXC) { fprintf(stderr, "minishell: syntax error near |\n"); return -1; }
      memset(&cmds[++n], 0, sizeof cmds[0]);
    } else if (!strcmp(w, "<") || !strcmp(w, ">") || !strcmp(w, ">>")) {
      char *f = strtok_r(NULL, " \t\n", &save);
      if (!f) { fprintf(stderr, "minishell: %s: missing file name\n", w); return -1; }
      if (w[0] == '<') c->in = f;
      else { c->out = f; c->append = w[1] == '>'; }
    } else if (c->argc < MAXW - 1) {
      c->argv[c->argc++] = w;
    }
    w = strtok_r(NULL, " \t\n", &save);
  }
  if (cmds[n].argc == 0) { if (n > 0) { fprintf(stderr, "minishell: syntax error near |\n"); return -1; } return 0; }
  return n + 1;
}

/* In the child: the redirections, then exec. Never returns. */
static void child(struct cmd *c, int in, int out) {
  if (in != 0) { dup2(in, 0); close(in); }
  if (out != 1) { dup2(out, 1); close(out); }
  if (c->in) {
    int fd = open(c->in, O_RDONLY);
    if (fd < 0) { fprintf(stderr, "minishell: %s: %s\n", c->in, strerror(errno)); _exit(1); }
    dup2(fd, 0); close(fd);
  }
  if (c->out) {
    int fd = open(c->out, O_WRONLY | O_CREAT | (c->append ? O_APPEND : O_TRUNC), 0644);
    if (fd < 0) { fprintf(stderr, "minishell: %s: %s\n", c->out, strerror(errno)); _exit(1); }
    dup2(fd, 1); close(fd);
  }
  execvp(c->argv[0], c->argv);
  fprintf(stderr, "minishell: %s: %s\n", c->argv[0], strerror(errno));
  _exit(errno == ENOENT ? 127 : 126);
}

static int run(struct cmd *cmds, int n) {
  pid_t pids[MAXC];
  int in = 0;
  for (int i = 0; i < n; i++) {
    int p[2] = { -1, 1 };
    if (i + 1 < n && pipe(p) < 0) { perror("minishell: pipe"); return 1; }
    fflush(stdout);
    pid_t pid = fork();
    if (pid < 0) { perror("minishell: fork"); return 1; }
    if (pid == 0) { if (p[0] >= 0) close(p[0]); child(&cmds[i], in, i + 1 < n ? p[1] : 1); }
    pids[i] = pid;
    if (in != 0) close(in);
    if (i + 1 < n) { close(p[1]); in = p[0]; }
  }
  int st = 0;
  for (int i = 0; i < n; i++) waitpid(pids[i], &st, 0);
  return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

int main(void) {
  char line[4096];
  struct cmd cmds[MAXC];
  int tty = isatty(0), last = 0;
  while (1) {
    if (tty) { fputs("$ ", stdout); fflush(stdout); }
    if (!fgets(line, sizeof line, stdin)) break;
    int n = parse(line, cmds);
    if (n <= 0) { if (n < 0) last = 2; continue; }
    if (!strcmp(cmds[0].argv[0], "exit")) return cmds[0].argc > 1 ? atoi(cmds[0].argv[1]) : last;
    if (!strcmp(cmds[0].argv[0], "cd")) {
      const char *d = cmds[0].argc > 1 ? cmds[0].argv[1] : getenv("HOME");
      last = chdir(d ? d : "/") < 0 ? (fprintf(stderr, "minishell: cd: %s: %s\n", d, strerror(errno)), 1) : 0;
      continue;
    }
    last = run(cmds, n);
    if (last) printf("[status %d]\n", last);
  }
  return last;
}
