package io.herald.saga.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP proxy on loopback in front of a real SMTP server (GreenMail) that answers {@code RCPT TO} for addresses
 * containing {@code marker} itself, with {@code 550 5.1.1 ... User unknown} (the command never reaches the server), as
 * a mail server refusing a mailbox that does not exist would. Everything else passes through.
 */
public final class RejectingSmtpProxy implements AutoCloseable {

    private final ServerSocket server;
    private final int target;
    private final String marker;
    private final List<Socket> open = new CopyOnWriteArrayList<>();

    public RejectingSmtpProxy(int target, String marker) throws IOException {
        this.target = target;
        this.marker = marker.toLowerCase();
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().start(this::acceptLoop);
    }

    public int port() {
        return server.getLocalPort();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Socket upstream = new Socket(InetAddress.getLoopbackAddress(), target);
                open.add(client);
                open.add(upstream);
                Thread.ofVirtual().start(() -> commands(client, upstream));
                Thread.ofVirtual().start(() -> replies(upstream, client));
            } catch (IOException e) {
                return;
            }
        }
    }

    /** Client to server, line by line; refused recipients answered here. */
    private void commands(Socket client, Socket upstream) {
        try (InputStream in = client.getInputStream(); OutputStream out = upstream.getOutputStream()) {
            OutputStream back = client.getOutputStream();
            StringBuilder line = new StringBuilder();
            boolean data = false;
            for (int c = in.read(); c >= 0; c = in.read()) {
                line.append((char) c);
                if (c != '\n') {
                    continue;
                }
                String text = line.toString();
                line.setLength(0);
                String command = text.strip().toUpperCase();
                if (data) {
                    data = !text.equals(".\r\n");
                } else if (command.startsWith("RCPT TO:") && text.toLowerCase().contains(marker)) {
                    synchronized (back) {
                        back.write(("550 5.1.1 " + text.substring(8).strip() + ": Recipient address rejected: "
                                + "User unknown\r\n").getBytes(StandardCharsets.ISO_8859_1));
                        back.flush();
                    }
                    continue;
                } else if (command.equals("DATA")) {
                    data = true;
                }
                out.write(text.getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
            }
        } catch (IOException e) {
            // closed
        } finally {
            closeQuietly(client);
            closeQuietly(upstream);
        }
    }

    private void replies(Socket upstream, Socket client) {
        try (InputStream in = upstream.getInputStream()) {
            OutputStream out = client.getOutputStream();
            byte[] buffer = new byte[8192];
            for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
                synchronized (out) {
                    out.write(buffer, 0, read);
                    out.flush();
                }
            }
        } catch (IOException e) {
            // closed
        } finally {
            closeQuietly(client);
            closeQuietly(upstream);
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
        open.forEach(RejectingSmtpProxy::closeQuietly);
    }
}
