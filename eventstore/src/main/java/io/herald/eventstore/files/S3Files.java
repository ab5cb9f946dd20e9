package io.herald.eventstore.files;

import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Files every instance reaches, in an S3 bucket (AWS, or a store that speaks S3: MinIO, Ceph, …), named by a location
 * {@code s3://<bucket>/<key>}. A file is written as it arrives, in parts of {@value #PART} bytes (a multipart upload
 * once it outgrows one part; a single {@code PutObject} below that), so a file of any size passes through at most one
 * part of memory; it is read as a stream. An upload cut off by a crash leaves an incomplete multipart upload, which
 * S3 never shows as an object: a lifecycle rule on the bucket ({@code AbortIncompleteMultipartUpload}, as the
 * Terraform module sets) removes its parts.
 */
public class S3Files {

    public static final String SCHEME = "s3://";
    static final int PART = 8 << 20;

    private final S3Client s3;
    private final String bucket;
    private final String prefix;

    public S3Files(S3Client s3, String bucket, String prefix) {
        this.s3 = s3;
        this.bucket = bucket;
        this.prefix = prefix == null ? "" : prefix;
    }

    public static boolean isS3(String location) {
        return location.startsWith(SCHEME);
    }

    /** Where the file {@code id} is kept: {@code s3://<bucket>/<prefix><id>}. */
    public String location(String id) {
        return SCHEME + bucket + "/" + prefix + id;
    }

    /** Writes the file {@code id} (replacing any earlier one); it exists once the stream is closed. */
    public OutputStream create(String id) {
        return new PartWriter(bucket, prefix + id);
    }

    public boolean exists(String location) throws IOException {
        Key key = key(location);
        try {
            s3.headObject(b -> b.bucket(key.bucket()).key(key.key()));
            return true;
        } catch (NoSuchKeyException e) {
            return false;
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return false;
            }
            throw new IOException("Looking for " + location + " failed: " + e.getMessage(), e);
        } catch (SdkException e) {
            throw new IOException("Looking for " + location + " failed: " + e.getMessage(), e);
        }
    }

    public InputStream open(String location) throws IOException {
        Key key = key(location);
        try {
            return s3.getObject(b -> b.bucket(key.bucket()).key(key.key()));
        } catch (NoSuchKeyException e) {
            throw new FileNotFoundException("No file " + location);
        } catch (SdkException e) {
            throw new IOException("Reading " + location + " failed: " + e.getMessage(), e);
        }
    }

    public void delete(String location) throws IOException {
        Key key = key(location);
        try {
            s3.deleteObject(b -> b.bucket(key.bucket()).key(key.key()));
        } catch (SdkException e) {
            throw new IOException("Deleting " + location + " failed: " + e.getMessage(), e);
        }
    }

    private record Key(String bucket, String key) {
    }

    private static Key key(String location) throws IOException {
        if (!isS3(location)) {
            throw new IOException("Not an S3 location: " + location);
        }
        String rest = location.substring(SCHEME.length());
        int slash = rest.indexOf('/');
        if (slash <= 0 || slash == rest.length() - 1) {
            throw new IOException("Not an S3 location (s3://<bucket>/<key>): " + location);
        }
        return new Key(rest.substring(0, slash), rest.substring(slash + 1));
    }

    private final class PartWriter extends PieceWriter {
        private final String bucket;
        private final String key;
        private final List<CompletedPart> parts = new ArrayList<>();
        private String uploadId;

        PartWriter(String bucket, String key) {
            super(PART);
            this.bucket = bucket;
            this.key = key;
        }

        @Override
        protected void piece(byte[] buffer, int length) throws IOException {
            try {
                if (uploadId == null) {
                    uploadId = s3.createMultipartUpload(b -> b.bucket(bucket).key(key)).uploadId();
                }
                int number = parts.size() + 1;
                String etag = s3.uploadPart(b -> b.bucket(bucket).key(key).uploadId(uploadId).partNumber(number)
                                                    .contentLength((long) length),
                                            RequestBody.fromByteBuffer(ByteBuffer.wrap(buffer, 0, length))).eTag();
                parts.add(CompletedPart.builder().partNumber(number).eTag(etag).build());
            } catch (SdkException e) {
                abort();
                throw new IOException("Storing part " + (parts.size() + 1) + " of s3://" + bucket + "/" + key
                                              + " failed: " + e.getMessage(), e);
            }
        }

        @Override
        protected void finish(byte[] buffer, int length) throws IOException {
            if (uploadId == null) {
                try {
                    s3.putObject(b -> b.bucket(bucket).key(key).contentLength((long) length),
                                 RequestBody.fromByteBuffer(ByteBuffer.wrap(buffer, 0, length)));
                } catch (SdkException e) {
                    throw new IOException("Storing s3://" + bucket + "/" + key + " failed: " + e.getMessage(), e);
                }
                return;
            }
            if (length > 0) {
                piece(buffer, length);
            }
            try {
                s3.completeMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId)
                        .multipartUpload(u -> u.parts(parts)));
            } catch (SdkException e) {
                abort();
                throw new IOException("Completing s3://" + bucket + "/" + key + " failed: " + e.getMessage(), e);
            }
        }

        private void abort() {
            if (uploadId == null) {
                return;
            }
            try {
                s3.abortMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId));
            } catch (SdkException ignored) {
                // the bucket's lifecycle rule removes the parts of an upload nobody completed
            }
        }
    }
}
