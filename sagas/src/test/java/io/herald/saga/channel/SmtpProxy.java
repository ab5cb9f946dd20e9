package io.herald.saga.channel;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy on loopback in front of a real SMTP server, for connection failures: {@link #cutAll()}
 * closes every open connection; with {@code cutAtMail} n, a connection is cut when its client sends its
 * n-th {@code MAIL FROM} (that command never reaches the server), so the n-th message of a batch is lost
 * in flight.
 */
final class SmtpProxy implements AutoCloseable {

    private final ServerSocket server;
    private final int target;
    private final int cutAtMail;
    private final AtomicInteger accepted = new AtomicInteger();
    private final List<Socket> open = new CopyOnWriteArrayList<>();

    SmtpProxy(int target, int cutAtMail) throws IOException {
        this.target = target;
        this.cutAtMail = cutAtMail;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().start(this::acceptLoop);
    }

    int port() {
        return server.getLocalPort();
    }

    int accepted() {
        return accepted.get();
    }

    void cutAll() {
        open.forEach(SmtpProxy::closeQuietly);
        open.clear();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                accepted.incrementAndGet();
                Socket upstream = new Socket(InetAddress.getLoopbackAddress(), target);
                open.add(client);
                open.add(upstream);
                Thread.ofVirtual().start(() -> pump(client, upstream, true));
                Thread.ofVirtual().start(() -> pump(upstream, client, false));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void pump(Socket from, Socket to, boolean fromClient) {
        int mails = 0;
        StringBuilder line = new StringBuilder();
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            byte[] buffer = new byte[8192];
            for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
                if (fromClient) {
                    line.append(new String(buffer, 0, read, StandardCharsets.ISO_8859_1));
                    int at;
                    while ((at = line.indexOf("\r\n")) >= 0) {
                        if (line.substring(0, at).toUpperCase().startsWith("MAIL FROM") && ++mails >= cutAtMail) {
                            closeQuietly(from);
                            closeQuietly(to);
                            return;
                        }
                        line.delete(0, at + 2);
                    }
                }
                out.write(buffer, 0, read);
                out.flush();
            }
        } catch (IOException e) {
            // cut or closed
        } finally {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // closed
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        cutAll();
    }
}
