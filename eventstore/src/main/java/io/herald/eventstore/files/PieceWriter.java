package io.herald.eventstore.files;

import java.io.IOException;
import java.io.OutputStream;

/**
 * A file written in pieces of one size, whatever the sizes of the writes: each full piece goes to {@link #piece}, and on
 * {@link #close} what is left (perhaps nothing) to {@link #finish}. At most one piece is held in memory.
 */
public abstract class PieceWriter extends OutputStream {

    private final byte[] buffer;
    private int filled;
    private boolean closed;

    protected PieceWriter(int pieceSize) {
        this.buffer = new byte[pieceSize];
    }

    /** A full piece: {@code length} bytes of {@code buffer}, which is reused once this returns. */
    protected abstract void piece(byte[] buffer, int length) throws IOException;

    /** The stream is closed: the last {@code length} bytes (0 when the file ended with a full piece, or is empty). */
    protected abstract void finish(byte[] buffer, int length) throws IOException;

    @Override
    public void write(int b) throws IOException {
        write(new byte[]{(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        if (closed) {
            throw new IOException("closed");
        }
        while (length > 0) {
            int n = Math.min(length, buffer.length - filled);
            System.arraycopy(bytes, offset, buffer, filled, n);
            filled += n;
            offset += n;
            length -= n;
            if (filled == buffer.length) {
                piece(buffer, filled);
                filled = 0;
            }
        }
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        finish(buffer, filled);
    }
}
