// A hello HTTP server on the standard library only: the app every base variant ships.
// It prints basebench's timeline lines ("basebench-timeline entered|listening <CLOCK_MONOTONIC ns>";
// System.nanoTime is CLOCK_MONOTONIC on Linux) so the harness can tell the JVM's start from the engine's.
import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

public final class HelloServer {
    private static final byte[] BODY = "hello from basebench\n".getBytes(StandardCharsets.UTF_8);

    public static void main(String[] args) throws Exception {
        System.out.println("basebench-timeline entered " + System.nanoTime());
        System.out.flush();
        int port = Integer.parseInt(System.getenv().getOrDefault("PORT", "8080"));
        HttpServer server = HttpServer.create(new InetSocketAddress(port), 0);
        server.createContext("/", exchange -> {
            exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
            exchange.sendResponseHeaders(200, BODY.length);
            try (OutputStream body = exchange.getResponseBody()) {
                body.write(BODY);
            }
        });
        server.start();
        System.out.println("basebench-timeline listening " + System.nanoTime());
        System.out.println("listening on :" + port);
        System.out.flush();
    }
}
