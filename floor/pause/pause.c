/*
 * The pod sandbox's pause process for the cri engine, built by basebench from this source (as the
 * floor is) instead of pulled from registry.k8s.io, which this project cannot count on reaching.
 * What it must do is what any pause does: hold the pod's namespaces open by staying alive, reap
 * children that end up parented to it, and exit at once on SIGINT or SIGTERM when the runtime
 * stops the pod.
 */
#include <signal.h>
#include <stddef.h>
#include <sys/wait.h>
#include <unistd.h>

static void leave(int signal_number) {
  (void)signal_number;
  _exit(0);
}

static void reap(int signal_number) {
  (void)signal_number;
  while (waitpid(-1, NULL, WNOHANG) > 0) {
  }
}

int main(void) {
  struct sigaction on_stop = {.sa_handler = leave};
  struct sigaction on_child = {.sa_handler = reap, .sa_flags = SA_NOCLDSTOP | SA_RESTART};
  if (sigaction(SIGINT, &on_stop, NULL) != 0 || sigaction(SIGTERM, &on_stop, NULL) != 0 ||
      sigaction(SIGCHLD, &on_child, NULL) != 0)
    return 1;
  for (;;) pause();
}
