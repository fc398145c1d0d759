/*
 * The engine's floor: the smallest HTTP server basebench can start, a static binary on scratch.
 * What a sample of it costs is the engine's and the harness's share of every start; what a variant
 * costs above it is the image's own. It answers every request with one fixed response and prints
 * the timeline lines the sample apps print ("basebench-timeline entered|listening <ns>").
 */
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static void stamp(const char *moment) {
  struct timespec now;
  clock_gettime(CLOCK_MONOTONIC, &now);
  printf("basebench-timeline %s %lld\n", moment, (long long)now.tv_sec * 1000000000LL + now.tv_nsec);
  fflush(stdout);
}

int main(void) {
  static const char response[] =
      "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 22\r\nConnection: close\r\n\r\nbasebench engine floor";
  stamp("entered");
  int server = socket(AF_INET, SOCK_STREAM, 0);
  int yes = 1;
  setsockopt(server, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
  struct sockaddr_in address = {.sin_family = AF_INET, .sin_port = htons(8080), .sin_addr.s_addr = htonl(INADDR_ANY)};
  if (server < 0 || bind(server, (struct sockaddr *)&address, sizeof address) != 0 || listen(server, 64) != 0) {
    perror("floor: listen on 8080");
    return 1;
  }
  stamp("listening");
  for (;;) {
    int client = accept(server, NULL, NULL);
    if (client < 0) continue;
    char request[2048];
    ssize_t length = read(client, request, sizeof request);
    if (length > 0) write(client, response, sizeof response - 1);
    close(client);
  }
}
